{#- Connected components over shared identity keys by minimum-label propagation,
    unrolled a fixed number of rounds (portable: no recursion). A record takes the
    smallest label among the records that share any of its keys; `is_converged`
    says whether one more round would change it (a dbt test fails if not). -#}
{%- set rounds = var('identity_rounds', 6) -%}
with records as (
    select * from {{ ref('int_lead_records_keyed') }}
),

-- a name at a company links records only when it does not join two different
-- addresses: "J. Smith at acme" with two emails may well be two people
unambiguous_name_keys as (
    select name_company_key
    from records
    where name_company_key is not null
    group by name_company_key
    having count(distinct email_key) <= 1
),

-- a typo in an address: two different addresses at one company domain (never a free
-- mail domain, where namesakes abound) whose local parts are a typo apart with the same
-- digits (john.smith1 is a namesake, not a typo), and whose names are a typo apart too.
-- Blocking on the domain keeps the comparison small.
email_parts as (
    select
        lead_record_id,
        email_key,
        email_domain,
        name_key,
        split_part(email_key, '@', 1) as local_part,
        regexp_replace(split_part(email_key, '@', 1), '[^0-9]', '', 'g') as local_digits
    from records
    where email_key is not null and not is_free_mail and length(name_key) > 3
),

similar_email_pairs as (
    select
        left_record.lead_record_id as left_id,
        right_record.lead_record_id as right_id,
        'f:' || left_record.email_key as link_key
    from email_parts as left_record
    inner join email_parts as right_record
        on left_record.email_domain = right_record.email_domain
        and left_record.local_digits = right_record.local_digits
        and left_record.email_key < right_record.email_key
    where {{ edit_distance('left_record.local_part', 'right_record.local_part') }}
            <= {{ var('identity_email_edits', 2) }}
        and {{ edit_distance('left_record.name_key', 'right_record.name_key') }}
            <= {{ var('identity_name_edits', 1) }}
),

record_keys as (
    select lead_record_id, 'e:' || email_key as identity_key, 'same email' as match_reason, 1 as strength
    from records where email_key is not null
    union all
    select lead_record_id, 'p:' || phone_e164, 'same phone', 2
    from records where phone_e164 is not null
    union all
    select records.lead_record_id, 'n:' || records.name_company_key, 'same name at company domain', 3
    from records
    inner join unambiguous_name_keys on records.name_company_key = unambiguous_name_keys.name_company_key
    union all
    select left_id, link_key, 'same name, similar email', 4 from similar_email_pairs
    union all
    select right_id, link_key, 'same name, similar email', 4 from similar_email_pairs
),

-- the propagation runs over integers: a record's number follows its id's order, so the
-- smallest number is the smallest id, and each key gets a number once (hashing 32-char
-- strings in every round took 30 s and 8 GiB at 1M leads)
record_numbers as materialized (
    select lead_record_id, row_number() over (order by lead_record_id) as record_number
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
    select record_number, record_number as label from record_numbers
),

{% for i in range(1, rounds + 2) %}
key_labels_{{ i }} as (
    select edges.key_number, min(labels_{{ i - 1 }}.label) as label
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
    select identity_key from record_keys group by identity_key having count(*) > 1
),

record_match as (
    select record_keys.lead_record_id, min(record_keys.strength) as strength
    from record_keys
    inner join shared_keys on record_keys.identity_key = shared_keys.identity_key
    group by record_keys.lead_record_id
),

final as (
    select
        records.*,
        record_labels.cluster_label,
        record_labels.is_converged,
        case record_match.strength
            when 1 then 'same email'
            when 2 then 'same phone'
            when 3 then 'same name at company domain'
            when 4 then 'same name, similar email'
            else 'single record'
        end as match_reason,
        case record_match.strength when 1 then 1.0 when 2 then 0.95 when 3 then 0.7 when 4 then 0.8 else 1.0 end as match_score
    from records
    inner join record_labels on records.lead_record_id = record_labels.lead_record_id
    left join record_match on records.lead_record_id = record_match.lead_record_id
)

select * from final
