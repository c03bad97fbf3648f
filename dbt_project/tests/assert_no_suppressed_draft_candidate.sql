-- Suppression overrides everything: no draft candidate has any email, domain or phone
-- that a suppression event in effect names, checked against the raw events directly
-- rather than through the model that computed suppression.
with candidates as (
    select distinct prospect_id from {{ ref('draft_candidates') }}
),

records as (
    select * from {{ ref('int_lead_records_resolved') }}
),

suppressions as (
    select * from {{ ref('stg_raw__suppressions') }}
    where cast(effective_at as date) <= {{ as_of() }}
)

select candidates.prospect_id, suppressions.suppression_ref
from candidates
inner join records on candidates.prospect_id = records.prospect_id
inner join suppressions
    on records.email_address_key = suppressions.email_key
    or records.email_domain = suppressions.domain
    or records.company_domain = suppressions.domain
    or records.phone_e164 = suppressions.phone_key
