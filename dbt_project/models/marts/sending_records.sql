{{ config(tags=['after_drafting']) }}
-- The framework's Outreach Sending Record: one row per communication that left, with
-- what the append-only send ledger (send.records) knew when it was sent and what later
-- events taught since: the reply's status (the latest classified reply threaded to this
-- communication, else No Reply), the outcome and next action of the prospect x campaign
-- in the CRM, the sequence it belongs to and whether the person is suppressed now.
with sent as (
    select
        *,
        row_number() over (partition by communication_id order by sent_at desc, record_id desc) as sent_rank
    from {{ ref('stg_send__records') }}
    where sent_status = 'sent'
),

replies as (
    select
        communication_id,
        reply_class,
        coalesce(received_at, cast(received_on as timestamp)) as replied_at,
        row_number() over (
            partition by communication_id
            order by coalesce(received_at, cast(received_on as timestamp)) desc, content_hash desc
        ) as reply_rank
    from {{ ref('stg_inbound__messages') }}
    where communication_id is not null and reply_class is not null
),

crm as (
    select * from {{ ref('crm_pipeline') }}
),

campaigns as (
    select * from {{ ref('stg_config__campaigns') }}
),

final as (
    select
        sent.communication_id,
        sent.prospect_id,
        sent.company,
        sent.source_id as source,
        sent.permission_type,
        sent.offer_id as offer,
        sent.campaign_id,
        sent.channel,
        sent.message_type,
        sent.step,
        sent.ai_draft,
        sent.human_edited_version,
        sent.personalisation_source,
        sent.evidence_id as evidence_record,
        sent.cta_id as cta,
        sent.compliance_flag,
        sent.approval_status,
        sent.approved_by,
        sent.sent_status,
        sent.sent_at as sent_date,
        sent.provider_result,
        sent.provider_message_id,
        replies.replied_at,
        crm.outcome,
        crm.crm_stage,
        crm.next_action,
        campaigns.sequence_id,
        crm.suppression_status,
        coalesce(replies.reply_class, 'No Reply') as reply_status,
        greatest(sent.sent_at, coalesce(replies.replied_at, sent.sent_at)) as last_updated
    from sent
    left join replies on sent.communication_id = replies.communication_id and replies.reply_rank = 1
    left join crm on sent.prospect_id = crm.prospect_id and sent.campaign_id = crm.campaign_id
    left join campaigns on sent.campaign_id = campaigns.campaign_id
    where sent.sent_rank = 1
)

select * from final
