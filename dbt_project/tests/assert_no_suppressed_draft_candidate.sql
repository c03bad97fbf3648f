-- Suppression overrides everything: no draft candidate has any email, domain or phone
-- that a suppression event in effect names for its scope (global; the candidate's
-- channel; the candidate's client), checked against the raw events directly rather
-- than through the models that computed suppression.
-- An asset check on draft_candidates in Dagster (the test refs more than one model).
{{ config(meta={'dagster': {'ref': {'name': 'draft_candidates'}}}) }}

with candidates as (
    select distinct prospect_id, channel, client_id from {{ ref('draft_candidates') }}
),

records as (
    select * from {{ ref('int_lead_records_resolved') }}
),

suppressions as (
    select * from {{ ref('stg_raw__suppressions') }}
    where cast(effective_at as date) <= {{ as_of() }}
)

select candidates.prospect_id, candidates.channel, suppressions.suppression_ref, suppressions.scope
from candidates
inner join records on candidates.prospect_id = records.prospect_id
inner join suppressions
    on (
        records.email_address_key = suppressions.email_key
        or records.email_domain = suppressions.domain
        or records.company_domain = suppressions.domain
        or records.phone_e164 = suppressions.phone_key
    )
    and (
        suppressions.scope = 'global'
        or (suppressions.scope = 'channel' and suppressions.scope_value = candidates.channel)
        or (suppressions.scope = 'client' and suppressions.scope_value = candidates.client_id)
    )
