{{ config(tags=['after_drafting']) }}
-- One row per current draft with its latest decision and whether that decision is a
-- valid approval on the run date: an approval binds to the draft's content hash as
-- exported, so a draft that changed since (a new template, new evidence, an edit)
-- voids it; it expires after the campaign's approval_valid_days; and a Draft Only
-- campaign is never approved to send (the import refuses it; this re-checks).
with drafts as (
    select * from {{ ref('stg_drafting__drafts') }}
),

decisions as (
    select * from {{ ref('stg_review__decisions') }}
),

latest as (
    select
        *,
        row_number() over (partition by communication_id order by decided_at desc, decision_id desc) as decision_rank
    from decisions
),

final as (
    select
        drafts.communication_id,
        drafts.prospect_id,
        drafts.campaign_id,
        drafts.content_hash,
        latest.decision_id,
        latest.decision,
        latest.reviewer,
        latest.decided_at,
        latest.expires_on,
        latest.draft_content_hash,
        latest.approved_content_hash,
        latest.approved_subject,
        latest.approved_body,
        latest.draft_content_hash = drafts.content_hash as is_decided_on_current_draft,
        coalesce(
            latest.decision in ('Approve', 'Edit And Approve')
            and latest.draft_content_hash = drafts.content_hash
            and latest.expires_on >= {{ as_of() }}
            and drafts.send_authority in {{ send_authorities_that('may_send') }}
            and (latest.decision = 'Edit And Approve' or drafts.lint_passed),
            false
        ) as is_approved
    from drafts
    left join latest on drafts.communication_id = latest.communication_id and latest.decision_rank = 1
)

select * from final
