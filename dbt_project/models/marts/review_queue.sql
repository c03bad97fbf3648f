{{ config(tags=['after_drafting']) }}
-- One row per draft awaiting a human decision: no decision yet on its current content.
-- What the framework's Human Review Approval Workflow shows a reviewer: prospect,
-- company, source, priority and its reasons, permission context, the evidence with
-- its source and date and class, the message, claim risk and lint, channel, step,
-- previous messages and reply state, and a recommended action. A response draft (step
-- 0) shows the reply it answers.
with drafts as (
    select * from {{ ref('stg_drafting__drafts') }}
),

approvals as (
    select * from {{ ref('int_drafts_approved') }}
),

candidates as (
    select * from {{ ref('draft_candidates') }}
),

prospects as (
    select * from {{ ref('prospects') }}
),

campaigns as (
    select * from {{ ref('stg_config__campaigns') }}
),

-- what a response draft (step 0) answers: the reviewer reads the reply beside it
answered as (
    select
        content_hash,
        reply_class,
        reply_text
    from {{ ref('stg_inbound__messages') }}
),

previous as (
    select
        prospect_id,
        count(*) as previous_decisions
    from {{ ref('stg_review__decisions') }}
    group by prospect_id
),

final as (
    select
        drafts.review_token,
        drafts.communication_id,
        drafts.campaign_id,
        campaigns.campaign_owner,
        drafts.send_authority,
        drafts.channel,
        drafts.delivery,
        drafts.step,
        drafts.message_type,
        drafts.prospect_id,
        prospects.role,
        prospects.company_name,
        prospects.company_domain,
        prospects.source_id,
        prospects.identity_status,
        candidates.priority,
        candidates.priority_reasons,
        prospects.permission_type,
        candidates.lawful_basis,
        drafts.evidence_id,
        drafts.evidence_class,
        candidates.evidence_observation,
        candidates.evidence_source_url,
        candidates.evidence_source_on,
        drafts.claim_id,
        drafts.recipient,
        drafts.subject,
        drafts.body,
        drafts.lint_passed,
        drafts.lint_failures,
        drafts.drafted_by,
        drafts.sentence_sources,
        drafts.model_fallback_reason,
        drafts.content_hash,
        drafts.drafted_on,
        case
            when drafts.answers_message is not null
                then 'answers a ' || coalesce(answered.reply_class, 'reply') || ' reply: ' || coalesce(answered.reply_text, '')
            when drafts.message_type = 'Proposal Follow-Up' then 'follows up a proposal; no reply since it'
            else 'no reply recorded'
        end as reply_state,
        trim(coalesce(prospects.first_name, '') || ' ' || coalesce(prospects.last_name, '')) as prospect_name,
        case
            when not drafts.lint_approved_claims_only then 'unapproved claim language'
            when drafts.claim_id is not null then 'approved claim ' || drafts.claim_id
            else 'no claim'
        end as claim_risk,
        coalesce(previous.previous_decisions, 0) as previous_messages,
        case
            when not drafts.lint_passed then 'Reject'
            when drafts.send_authority = 'Draft Only' then 'Route To Sales Owner'
            when prospects.identity_status = 'Probable' then 'Request More Research'
            else 'Approve'
        end as recommended_action
    from drafts
    inner join approvals on drafts.communication_id = approvals.communication_id
    left join candidates
        on drafts.prospect_id = candidates.prospect_id and drafts.campaign_id = candidates.campaign_id
    inner join prospects on drafts.prospect_id = prospects.prospect_id
    inner join campaigns on drafts.campaign_id = campaigns.campaign_id
    left join previous on drafts.prospect_id = previous.prospect_id
    left join answered on drafts.answers_message = answered.content_hash
    where
        not coalesce(approvals.is_decided_on_current_draft, false)
        -- a sequence draft while its pair is a candidate; a response while it is drafted
        and (candidates.prospect_id is not null or drafts.step = 0)
)

select * from final
