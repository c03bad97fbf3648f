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
        first_key,
        name_1,
        name_2,
        city_key,
        company_key,
        name_company_key,
        phone_key
    from {{ ref('int_lead_records_keyed') }}
),

-- the typo blocks small enough to compare whole, counted over every record (so a day
-- that clusters a few again compares what a full run compares)
small_address_blocks as materialized (
    {{ small_address_blocks('all_records') }}
),

small_name_blocks as materialized (
    {{ small_name_company_blocks('all_records') }}
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

-- the records a new one may join: those sharing an address, a phone or a name at a
-- company with it (ambiguous or not: a new address can make a name ambiguous and so
-- split a cluster), whose address is a typo apart from its, or whose name in a city
-- agrees with its (either may be the one without an address or phone)
-- a typo away from a new record: compared once, both sides used
new_typo_pairs as (
    {{ similar_address_pairs('all_records', 'new_records', 'small_address_blocks') }}
),

new_name_pairs as (
    {{ similar_name_company_pairs('all_records', 'new_records', 'small_name_blocks') }}
),

touched as (
    select all_records.lead_record_id
    from all_records inner join new_records on all_records.email_key = new_records.email_key
    union
    select all_records.lead_record_id
    from all_records inner join new_records on all_records.phone_key = new_records.phone_key
    union
    select all_records.lead_record_id
    from all_records inner join new_records on all_records.name_company_key = new_records.name_company_key
    union
    select left_id from new_typo_pairs
    union
    select right_id from new_typo_pairs
    union
    select left_id from new_name_pairs
    union
    select right_id from new_name_pairs
    union
    select left_id from ({{ name_city_pairs('all_records', 'new_records') }}) as city_pairs
    union
    select right_id from ({{ name_city_pairs('new_records', 'all_records') }}) as city_pairs
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
-- addresses: "J. Smith at acme" with two emails may well be two people; two a typo
-- apart are one person's, as in a city (counted over every record with the name, not
-- only those clustered again)
unambiguous_name_keys as (
    select all_records.name_company_key
    from all_records
    where all_records.name_company_key in (select records.name_company_key from records)
    group by all_records.name_company_key
    -- and one first name, or two a typo apart: A. Torres may be Alexander or Anthony
    {%- set first_name = "case when length(all_records.first_key) > 1 then all_records.first_key end" %}
    having
        {{ one_address_or_two_a_typo_apart('all_records.email_key') }}
        and (
            count(distinct {{ first_name }}) <= 1
            or (
                count(distinct {{ first_name }}) = 2
                and {{ name_part_agrees('min(' ~ first_name ~ ')', 'max(' ~ first_name ~ ')',
                    var('identity_name_part_similarity', 0.88)) }}
            )
        )
),

similar_email_pairs as (
    {{ similar_address_pairs('records', 'records', 'small_address_blocks') }}
),

phone_name_pairs as (
    {{ same_phone_pairs('records', 'records') }}
),

-- similar names at a company: each record's against every record (its partners outside
-- this run's records count for the ambiguity below, their links are dropped with them)
company_name_pairs as (
    {{ similar_name_company_pairs('records', 'all_records', 'small_name_blocks', one_side=not incremental) }}
),

-- a record, and the records whose names at its company agree with its, holding two
-- addresses that are not a typo apart: namesakes, and whose is it? (as for a name at a
-- company); it links by its name to nobody
-- (each record of a pair with its partner, and with itself: its own address counts)
name_partners as (
    {%- for record, partner in [('left_id', 'right_id'), ('right_id', 'left_id'), ('left_id', 'left_id'), ('right_id', 'right_id')] %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select
            {{ record }} as lead_record_id,
            {{ partner }} as partner_id
        from company_name_pairs
    {%- endfor %}
),

ambiguous_name_records as (
    select sides.lead_record_id
    from name_partners as sides
    inner join all_records as partner on sides.partner_id = partner.lead_record_id
    group by sides.lead_record_id
    having not {{ one_address_or_two_a_typo_apart('partner.email_key') }}
),

-- a number at a company links a record without a whole name to the one person there
-- with that number and a whole name that has its part ("Gutierrez" on the switchboard is
-- Stephen Gutierrez when he is the only Gutierrez on it), or, with no name at all, to the
-- one person on it (never when two different names could be it: whose would it be?)
phone_whole_names as (
    select distinct
        all_records.phone_key,
        all_records.company_key,
        all_records.name_1,
        all_records.name_2,
        all_records.name_1 || ' ' || all_records.name_2 as whole_name
    from all_records
    where
        all_records.phone_key in (select records.phone_key from records)
        and all_records.company_key is not null
        and all_records.name_2 is not null
),

-- each part of a whole name on a number, and '' (no name: anyone on it)
phone_name_parts as (
    {%- for part in ['name_1', 'name_2', "''"] %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select
            phone_key,
            company_key,
            {{ part }} as part,
            whole_name
        from phone_whole_names
    {%- endfor %}
),

phone_people as (
    select
        phone_key,
        company_key,
        part,
        min(whole_name) as whole_name
    from phone_name_parts
    group by phone_key, company_key, part
    having count(distinct whole_name) = 1
),

part_name_records as (
    select
        records.lead_record_id,
        records.phone_key || '|' || records.company_key || '|' || phone_people.whole_name as person_key
    from records
    inner join phone_people
        on
            records.phone_key = phone_people.phone_key
            and records.company_key = phone_people.company_key
            and phone_people.part = coalesce(records.name_1, '')
    where records.name_2 is null
),

-- those records, and the records of the person each of them is (only theirs: a key no
-- record without a whole name points to would add nothing but work)
whole_name_records as (
    select
        records.lead_record_id,
        records.phone_key || '|' || records.company_key || '|' || records.name_1 || ' ' || records.name_2
            as person_key
    from records
    where records.name_2 is not null
),

phone_company_records as (
    select
        lead_record_id,
        person_key
    from part_name_records
    union all
    select
        lead_record_id,
        person_key
    from whole_name_records
    where person_key in (select part_name_records.person_key from part_name_records)
),

unambiguous_phone_keys as (
    select person_key
    from phone_company_records
    group by person_key
    having count(*) > 1
),

-- a record without an address or a phone joins those with its name in its city when
-- they are one person's: one address among them, or two a typo apart (three or more:
-- namesakes, and nobody can say which)
city_pairs as (
    {{ name_city_pairs('records', 'records') }}
),

unambiguous_city_records as (
    select left_id
    from city_pairs
    group by left_id
    having {{ one_address_or_two_a_typo_apart('right_email_key') }}
),

-- two records a rule links as a pair: both get the pair's key
linked_pairs as (
    select
        left_id,
        right_id,
        'q:' || left_id || ':' || right_id as identity_key,
        'same phone, same name' as match_reason,
        2 as strength
    from phone_name_pairs
    union all
    select
        left_id,
        right_id,
        'f:' || left_id || ':' || right_id as identity_key,
        'same name, similar email' as match_reason,
        4 as strength
    from similar_email_pairs
    union all
    select
        left_id,
        right_id,
        's:' || left_id || ':' || right_id as identity_key,
        'similar name at company' as match_reason,
        7 as strength
    from company_name_pairs
    where
        left_id not in (select ambiguous_name_records.lead_record_id from ambiguous_name_records)
        and right_id not in (select ambiguous_name_records.lead_record_id from ambiguous_name_records)
    union all
    select
        city_pairs.left_id,
        city_pairs.right_id,
        'c:' || city_pairs.left_id as identity_key,
        'same name in city' as match_reason,
        6 as strength
    from city_pairs
    inner join unambiguous_city_records on city_pairs.left_id = unambiguous_city_records.left_id
),

record_keys as (
    select
        lead_record_id,
        'e:' || email_key as identity_key,
        'same email' as match_reason,
        1 as strength
    from records
    where email_key is not null
    {%- for side in ['left_id', 'right_id'] %}
        union all
        select
            {{ side }} as lead_record_id,
            identity_key,
            match_reason,
            strength
        from linked_pairs
    {%- endfor %}
    union all
    select
        records.lead_record_id,
        'p:' || records.person_key as identity_key,
        'same phone at company' as match_reason,
        5 as strength
    from phone_company_records as records
    inner join unambiguous_phone_keys on records.person_key = unambiguous_phone_keys.person_key
    union all
    select
        records.lead_record_id,
        'n:' || records.name_company_key as identity_key,
        'same name at company domain' as match_reason,
        3 as strength
    from records
    inner join unambiguous_name_keys on records.name_company_key = unambiguous_name_keys.name_company_key
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
            when 2 then 'same phone, same name'
            when 3 then 'same name at company domain'
            when 4 then 'same name, similar email'
            when 5 then 'same phone at company'
            when 6 then 'same name in city'
            when 7 then 'similar name at company'
            else 'single record'
        end as match_reason,
        case record_match.strength
            when 1 then 1.0 when 2 then 0.95 when 3 then 0.7 when 4 then 0.8 when 5 then 0.7 when 6 then 0.6 when 7 then 0.6 else 1.0
        end as match_score,
        '{{ identity_settings() }}' as identity_settings,
        {{ as_of() }} as clustered_on
    from records
    inner join record_labels on records.lead_record_id = record_labels.lead_record_id
    left join record_match on records.lead_record_id = record_match.lead_record_id
)

select * from final
