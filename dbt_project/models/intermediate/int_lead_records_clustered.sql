{#- Connected components over shared identity keys by minimum-label propagation,
    unrolled a fixed number of rounds (portable: no recursion). A record takes the
    smallest label among the records that share any of its keys; `is_converged`
    says whether one more round would change it (a dbt test fails if not).

    Incremental: a day's run clusters again only its new records and every cluster they
    may touch (a shared address, phone or name at a company, a similar address), which
    is a union of whole components, so their labels are what a full run would give.
    A record gone from the keyed records (an erasure can split its cluster or free a
    name) or changed settings make the run recompute every cluster; `--full-refresh`
    does the same. The table holds identity only: the record's fields stay in
    int_lead_records_keyed, so a scrub or a config change never leaves a stale copy. -#}
{{ config(
    materialized='incremental',
    unique_key='lead_record_id',
    incremental_strategy='delete+insert',
    on_schema_change='sync_all_columns',
    post_hook="delete from {{ this }} where lead_record_id not in (select lead_record_id from {{ ref('int_lead_records_keyed') }})"
) }}
{%- set rounds = var('identity_rounds', 6) -%}
{#- a table from before the identity-only layout is rebuilt whole (its columns synced) -#}
{%- set incremental = is_incremental()
    and 'identity_settings' in (adapter.get_columns_in_relation(this) | map(attribute='name') | list) -%}
with all_records as (
    select
        lead_record_id,
        email_key,
        email_domain,
        is_free_mail,
        name_key,
        name_company_key,
        phone_e164
    from {{ ref('int_lead_records_keyed') }}
),

{% if incremental %}
previous as (
    select lead_record_id, cluster_label, identity_settings from {{ this }}
),

recompute_all as (
    select count(*) > 0 as is_needed
    from previous
    where identity_settings <> '{{ identity_settings() }}'
        or lead_record_id not in (select lead_record_id from all_records)
),

new_records as materialized (
    select all_records.*
    from all_records
    left join previous on all_records.lead_record_id = previous.lead_record_id
    where previous.lead_record_id is null
),

new_parts as (
    {{ address_parts('new_records') }}
),

-- the records a new one may join: those sharing an address, a phone or a name at a
-- company with it (ambiguous or not: a new address can make a name ambiguous and so
-- split a cluster), or whose address is a typo apart from its
touched as (
    select all_records.lead_record_id
    from all_records inner join new_records on all_records.email_key = new_records.email_key
    union
    select all_records.lead_record_id
    from all_records inner join new_records on all_records.phone_e164 = new_records.phone_e164
    union
    select all_records.lead_record_id
    from all_records inner join new_records on all_records.name_company_key = new_records.name_company_key
    union
    select candidate.lead_record_id
    from ({{ address_parts('all_records') }}) as candidate
    inner join new_parts on {{ similar_addresses('candidate', 'new_parts') }}
),

touched_clusters as (
    select distinct previous.cluster_label
    from previous inner join touched on previous.lead_record_id = touched.lead_record_id
),

records as materialized (
    select all_records.*
    from all_records
    left join previous on all_records.lead_record_id = previous.lead_record_id
    left join touched_clusters on previous.cluster_label = touched_clusters.cluster_label
    where previous.lead_record_id is null
        or touched_clusters.cluster_label is not null
        or (select is_needed from recompute_all)
),
{% else %}
    records as (
        select * from all_records
    ),
{% endif %}

-- a name at a company links records only when it does not join two different
-- addresses: "J. Smith at acme" with two emails may well be two people (counted over
-- every record with the name, not only those clustered again)
unambiguous_name_keys as (
    select all_records.name_company_key
    from all_records
    where all_records.name_company_key in (select records.name_company_key from records)
    group by all_records.name_company_key
    having count(distinct all_records.email_key) <= 1
),

email_parts as (
    {{ address_parts('records') }}
),

similar_email_pairs as (
    select
        left_record.lead_record_id as left_id,
        right_record.lead_record_id as right_id,
        'f:' || left_record.email_key as link_key
    from email_parts as left_record
    inner join email_parts as right_record
        on
            {{ similar_addresses('left_record', 'right_record') }}
            and left_record.email_key < right_record.email_key
),

record_keys as (
    select
        lead_record_id,
        'e:' || email_key as identity_key,
        'same email' as match_reason,
        1 as strength
    from records
    where email_key is not null
    union all
    select
        lead_record_id,
        'p:' || phone_e164 as identity_key,
        'same phone' as match_reason,
        2 as strength
    from records
    where phone_e164 is not null
    union all
    select
        records.lead_record_id,
        'n:' || records.name_company_key as identity_key,
        'same name at company domain' as match_reason,
        3 as strength
    from records
    inner join unambiguous_name_keys on records.name_company_key = unambiguous_name_keys.name_company_key
    union all
    select
        left_id as lead_record_id,
        link_key as identity_key,
        'same name, similar email' as match_reason,
        4 as strength
    from similar_email_pairs
    union all
    select
        right_id as lead_record_id,
        link_key as identity_key,
        'same name, similar email' as match_reason,
        4 as strength
    from similar_email_pairs
),

-- the propagation runs over integers: a record's number follows its id's order, so the
-- smallest number is the smallest id, and each key gets a number once (hashing 32-char
-- strings in every round took 30 s and 8 GiB at 1M leads)
record_numbers as materialized (
    select
        lead_record_id,
        row_number() over (order by lead_record_id) as record_number
    from records
),

edges as materialized (
    select
        record_numbers.record_number,
        dense_rank() over (order by record_keys.identity_key) as key_number
    from record_keys
    inner join record_numbers on record_keys.lead_record_id = record_numbers.lead_record_id
),

labels_0 as (
    select
        record_number,
        record_number as label
    from record_numbers
),

{% for i in range(1, rounds + 2) %}
    key_labels_{{ i }} as (
        select
            edges.key_number,
            min(labels_{{ i - 1 }}.label) as label
        from edges
        inner join labels_{{ i - 1 }} on edges.record_number = labels_{{ i - 1 }}.record_number
        group by edges.key_number
    ),

    labels_{{ i }} as materialized (
        select
            labels_{{ i - 1 }}.record_number,
            least(labels_{{ i - 1 }}.label, coalesce(min(key_labels_{{ i }}.label), labels_{{ i - 1 }}.label)) as label
        from labels_{{ i - 1 }}
        left join edges on labels_{{ i - 1 }}.record_number = edges.record_number
        left join key_labels_{{ i }} on edges.key_number = key_labels_{{ i }}.key_number
        group by labels_{{ i - 1 }}.record_number, labels_{{ i - 1 }}.label
    ),
{% endfor %}

record_labels as (
    select
        record_numbers.lead_record_id,
        label_ids.lead_record_id as cluster_label,
        last_round.label = next_round.label as is_converged
    from record_numbers
    inner join labels_{{ rounds }} as last_round on record_numbers.record_number = last_round.record_number
    inner join labels_{{ rounds + 1 }} as next_round on record_numbers.record_number = next_round.record_number
    inner join record_numbers as label_ids on last_round.label = label_ids.record_number
),

-- how each record is tied to others: its strongest key shared with another record
shared_keys as (
    select identity_key from record_keys
    group by identity_key
    having count(*) > 1
),

record_match as (
    select
        record_keys.lead_record_id,
        min(record_keys.strength) as strength
    from record_keys
    inner join shared_keys on record_keys.identity_key = shared_keys.identity_key
    group by record_keys.lead_record_id
),

final as (
    select
        records.lead_record_id,
        record_labels.cluster_label,
        record_labels.is_converged,
        case record_match.strength
            when 1 then 'same email'
            when 2 then 'same phone'
            when 3 then 'same name at company domain'
            when 4 then 'same name, similar email'
            else 'single record'
        end as match_reason,
        case record_match.strength when 1 then 1.0 when 2 then 0.95 when 3 then 0.7 when 4 then 0.8 else 1.0 end as match_score,
        '{{ identity_settings() }}' as identity_settings,
        {{ as_of() }} as clustered_on
    from records
    inner join record_labels on records.lead_record_id = record_labels.lead_record_id
    left join record_match on records.lead_record_id = record_match.lead_record_id
)

select * from final
