{{ config(tags=['after_drafting']) }}
-- One row per approved email ready for the send job: the approval unexpired and bound to
-- the current draft's content hash, the prospect still a candidate (qualified, permitted,
-- not suppressed), the campaign allowed to send, no reply that stops the sequence, and not
-- claimed before. The send job re-checks all of it at the moment of sending, then caps,
-- window and gap; non-email channels never reach this queue (they are manual tasks).
-- A response draft (step 0) answers a reply beside the stopped sequence: it goes while
-- that reply is still the one to answer (marts.response_candidates).
-- One person gets at most the contact budget's first touches a day whatever the campaign
-- (config/channels.yml): first touches already claimed on the run date count, and the
-- rest of the day's first touches to a person wait, the best priority first.
with approvals as (
    select * from {{ ref('int_drafts_approved') }}
    where is_approved
),

drafts as (
    select * from {{ ref('stg_drafting__drafts') }}
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

claims as (
    select * from {{ ref('stg_send__claims') }}
),

-- the send job's opening check judges the queue against the suppressions it was built
-- from; one that arrived later is the per-message gate's to hold
suppressions_seen as (
    select max(ingested_at) as suppressions_seen_through from {{ ref('stg_raw__suppressions') }}
),

-- a response draft (step 0) goes while the reply it answers is still one to answer
answering as (
    select * from {{ ref('response_candidates') }}
),

-- a proposal follow-up (step 0) goes while its proposal is still Follow-Up Due
following_up as (
    select * from {{ ref('int_proposal_states') }}
    where proposal_state = 'Follow-Up Due'
),

budget as (
    select first_touches_per_day from {{ ref('stg_config__contact_budget') }}
),

first_touches_today as (
    select
        claims.prospect_id,
        count(*) as first_touches
    from claims
    where
        cast(claims.claimed_at as date) = {{ as_of() }}
        and claims.communication_id in (
            select history.communication_id from {{ ref('stg_drafting__draft_history') }} as history
            where history.step = 1
        )
    group by claims.prospect_id
),

-- a reply that stopped the person's sequence holds every message to them; in a
-- reactivation pair only one since the paused conversation (its facts_from)
stopped as (
    select
        prospect_id,
        max(coalesce(received_at, cast(received_on as timestamp))) as last_stop_at
    from {{ ref('stg_inbound__messages') }}
    where stops_sequence and prospect_id is not null
    group by prospect_id
),

pairs as (
    select * from {{ ref('int_sequence_pairs') }}
),

queued as (
    select
        drafts.communication_id,
        drafts.prospect_id,
        drafts.campaign_id,
        campaigns.offer_id,
        drafts.channel,
        drafts.step,
        drafts.message_type,
        drafts.recipient,
        approvals.approved_content_hash,
        drafts.content_hash as draft_content_hash,
        approvals.decision,
        approvals.reviewer as approved_by,
        approvals.decided_at as approved_at,
        approvals.expires_on,
        drafts.evidence_id,
        drafts.cta_id,
        drafts.config_version,
        drafts.notice_version,
        drafts.experiment_id,
        drafts.arm_id,
        drafts.body as ai_draft,
        drafts.answers_message,
        answering.reply_message_id,
        candidates.priority,
        prospects.company_name,
        prospects.source_id,
        prospects.permission_type,
        prospects.country,
        campaigns.sender_name,
        campaigns.sender_email,
        campaigns.send_authority,
        suppressions_seen.suppressions_seen_through,
        coalesce(approvals.approved_subject, drafts.subject) as subject,
        coalesce(approvals.approved_body, drafts.body) as body,
        case when approvals.decision = 'Edit And Approve' then approvals.approved_body end as human_edited_version
    from approvals
    inner join drafts on approvals.communication_id = drafts.communication_id
    left join candidates
        on drafts.prospect_id = candidates.prospect_id and drafts.campaign_id = candidates.campaign_id
    left join answering on drafts.answers_message = answering.message_hash
    left join following_up
        on
            drafts.message_type = 'Proposal Follow-Up'
            and drafts.prospect_id = following_up.prospect_id and drafts.campaign_id = following_up.campaign_id
    inner join prospects on drafts.prospect_id = prospects.prospect_id
    inner join campaigns on drafts.campaign_id = campaigns.campaign_id
    left join claims on drafts.communication_id = claims.communication_id
    left join stopped on drafts.prospect_id = stopped.prospect_id
    left join pairs on drafts.prospect_id = pairs.prospect_id and drafts.campaign_id = pairs.campaign_id
    cross join suppressions_seen
    where
        drafts.channel = 'email'
        and campaigns.send_authority in {{ send_authorities_that('may_send') }}
        and claims.communication_id is null
        and (
            (
                drafts.step <> 0 and candidates.prospect_id is not null
                and (stopped.prospect_id is null or stopped.last_stop_at < pairs.facts_from)
            )
            or (drafts.step = 0 and answering.message_hash is not null)
            or (drafts.step = 0 and following_up.prospect_id is not null)
        )
),

ranked as (
    select
        queued.*,
        case
            when queued.step = 1
                then row_number() over (
                    partition by queued.prospect_id, queued.step = 1
                    order by case queued.priority when 'Priority One' then 1 else 2 end, queued.campaign_id, queued.communication_id
                )
        end as first_touch_rank
    from queued
),

final as (
    select ranked.*
    from ranked
    cross join budget
    left join first_touches_today on ranked.prospect_id = first_touches_today.prospect_id
    where
        ranked.first_touch_rank is null
        or ranked.first_touch_rank + coalesce(first_touches_today.first_touches, 0) <= budget.first_touches_per_day
)

select * from final
