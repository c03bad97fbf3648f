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
),

labels_0 as (
    select lead_record_id, lead_record_id as label from records
),

{% for i in range(1, rounds + 2) %}
key_labels_{{ i }} as (
    select record_keys.identity_key, min(labels_{{ i - 1 }}.label) as label
    from record_keys
    inner join labels_{{ i - 1 }} on record_keys.lead_record_id = labels_{{ i - 1 }}.lead_record_id
    group by record_keys.identity_key
),

labels_{{ i }} as (
    select
        labels_{{ i - 1 }}.lead_record_id,
        least(labels_{{ i - 1 }}.label, coalesce(min(key_labels_{{ i }}.label), labels_{{ i - 1 }}.label)) as label
    from labels_{{ i - 1 }}
    left join record_keys on labels_{{ i - 1 }}.lead_record_id = record_keys.lead_record_id
    left join key_labels_{{ i }} on record_keys.identity_key = key_labels_{{ i }}.identity_key
    group by labels_{{ i - 1 }}.lead_record_id, labels_{{ i - 1 }}.label
),
{% endfor %}

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
        labels_{{ rounds }}.label as cluster_label,
        labels_{{ rounds }}.label = labels_{{ rounds + 1 }}.label as is_converged,
        case record_match.strength
            when 1 then 'same email'
            when 2 then 'same phone'
            when 3 then 'same name at company domain'
            else 'single record'
        end as match_reason,
        case record_match.strength when 1 then 1.0 when 2 then 0.95 when 3 then 0.7 else 1.0 end as match_score
    from records
    inner join labels_{{ rounds }} on records.lead_record_id = labels_{{ rounds }}.lead_record_id
    inner join labels_{{ rounds + 1 }} on records.lead_record_id = labels_{{ rounds + 1 }}.lead_record_id
    left join record_match on records.lead_record_id = record_match.lead_record_id
)

select * from final
