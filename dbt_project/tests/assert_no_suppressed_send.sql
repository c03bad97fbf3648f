-- Suppression overrides everything: no message in the send queue goes to an address,
-- domain or phone that a suppression event in effect names (global, email channel, or the
-- campaign's client), read from the raw events directly.
-- An asset check on send_queue in Dagster (the test refs more than one model).
{{ config(tags=['after_drafting'], meta={'dagster': {'ref': {'name': 'send_queue'}}}) }}

with queue as (
    select * from {{ ref('send_queue') }}
),

records as (
    select * from {{ ref('int_lead_records_resolved') }}
),

campaigns as (
    select * from {{ ref('stg_config__campaigns') }}
),

suppressions as (
    select * from {{ ref('stg_raw__suppressions') }}
    where {{ suppression_in_effect('effective_at', as_of()) }}
)

select
    queue.communication_id,
    suppressions.suppression_ref
from queue
inner join campaigns on queue.campaign_id = campaigns.campaign_id
inner join records on queue.prospect_id = records.prospect_id
inner join suppressions
    on (
        lower(queue.recipient) = suppressions.email_key
        or {{ suppression_covers_domain("split_part(lower(queue.recipient), '@', 2)", 'suppressions.domain') }}
        or records.email_address_key = suppressions.email_key
        or {{ suppression_covers_domain('records.email_domain', 'suppressions.domain') }}
        or {{ suppression_covers_domain('records.company_domain', 'suppressions.domain') }}
        or records.phone_e164 = suppressions.phone_key
    )
    and {{ suppression_applies('suppressions.scope', 'suppressions.scope_value', 'queue.channel', 'campaigns.client_id') }}
