-- Framework CRM And Pipeline Layer: the system must not mark a prospect as contacted,
-- replied, booked or qualified without supporting evidence. A row here is a CRM stage
-- whose evidence is missing from the table it names (for a send: a record with status
-- sent and the provider's id).
-- Severity warn: the marts still build and the pilot gate's "CRM records are accurate"
-- fails, holding the campaign at its pilot size (an error would skip the gate and leave
-- yesterday's verdict in place). An asset check on crm_pipeline in Dagster.
{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'crm_pipeline'}}}) }}
with pipeline as (
    select * from {{ ref('crm_pipeline') }}
),

evidence as (
    select
        'drafting' as source_system,
        communication_id || '/' || content_hash as evidence_key
    from {{ ref('stg_drafting__draft_history') }}
    union all
    select
        'review' as source_system,
        decision_id as evidence_key
    from {{ ref('stg_review__decisions') }}
    union all
    select
        'send' as source_system,
        record_id as evidence_key
    from {{ ref('stg_send__records') }}
    where sent_status = 'sent' and provider_message_id is not null
    union all
    select
        'inbound' as source_system,
        content_hash as evidence_key
    from {{ ref('stg_inbound__messages') }}
    union all
    select
        'crm' as source_system,
        event_record_id as evidence_key
    from {{ ref('stg_raw__events') }}
    union all
    select
        'suppression' as source_system,
        suppression_ref as evidence_key
    from {{ ref('stg_raw__suppressions') }}
    union all
    select
        'qualification' as source_system,
        evidence_id as evidence_key
    from {{ ref('int_campaign_eligibility') }}
    union all
    select
        'lead_record' as source_system,
        lead_record_id as evidence_key
    from {{ ref('int_lead_records_resolved') }}
)

select
    pipeline.prospect_id,
    pipeline.campaign_id,
    pipeline.crm_stage,
    pipeline.stage_evidence_source,
    pipeline.stage_evidence_ref
from pipeline
left join evidence
    on
        pipeline.stage_evidence_source = evidence.source_system
        and pipeline.stage_evidence_key = evidence.evidence_key
where evidence.evidence_key is null
