-- Suppression overrides everything: no draft candidate has any email, domain or phone
-- that a suppression event in effect names for its scope (global; the candidate's
-- channel; the candidate's client), checked against the raw events directly rather
-- than through the models that computed suppression.
-- An asset check on draft_candidates in Dagster (the test refs more than one model).
{{ config(meta={'dagster': {'ref': {'name': 'draft_candidates'}}}) }}

with candidates as (
    select distinct
        prospect_id,
        channel,
        client_id
    from {{ ref('draft_candidates') }}
),

records as (
    select * from {{ ref('int_lead_records_resolved') }}
),

suppressions as (
    select * from {{ ref('stg_raw__suppressions') }}
    where {{ suppression_in_effect('effective_at', as_of()) }}
),

-- one equi-join per identifier (an OR of four equalities would be a nested-loop join:
-- 25 s at 1M leads)
named as (
    select
        records.prospect_id,
        suppressions.*
    from records inner join suppressions on records.email_address_key = suppressions.email_key
    union all
    select
        records.prospect_id,
        suppressions.*
    from records inner join suppressions on records.email_domain = suppressions.domain
    union all
    select
        records.prospect_id,
        suppressions.*
    from records inner join suppressions on records.company_domain = suppressions.domain
    union all
    select
        records.prospect_id,
        suppressions.*
    from records inner join suppressions on records.phone_e164 = suppressions.phone_key
)

select
    candidates.prospect_id,
    candidates.channel,
    named.suppression_ref,
    named.scope
from candidates
inner join named on candidates.prospect_id = named.prospect_id
where {{ suppression_applies('named.scope', 'named.scope_value', 'candidates.channel', 'candidates.client_id') }}
