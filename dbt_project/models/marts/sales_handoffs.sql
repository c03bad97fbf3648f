{{ config(tags=['after_drafting']) }}
-- One row per prospect x campaign ready for a human sales contact (a reply, a proposed
-- or booked appointment): the framework's Sales Handoff Standard fields, so the sales
-- owner need not reconstruct the history. exports/handoff/<date>/ renders one page per
-- prospect from this mart, the messages sent and the replies.
with pipeline as (
    select * from {{ ref('crm_pipeline') }}
),

candidates_evidence as (
    select * from {{ ref('prospect_evidence') }}
),

qualified as (
    select * from {{ ref('int_prospect_offers_qualified') }}
),

prospects as (
    select * from {{ ref('prospects') }}
),

walk as (
    select * from {{ ref('int_sequence_walk') }}
),

ready as (
    select * from pipeline
    where
        sequence_status in ('Reply Received', 'Appointment Proposed', 'Booked')
        or (sequence_status = 'Human Review Required' and reply_class is not null)
),

verified as (
    select
        candidates_evidence.prospect_id,
        {{ dbt.listagg('observation', "' | '", 'order by source_on desc, evidence_id') }} as verified_context
    from candidates_evidence
    where candidates_evidence.evidence_class = 'Verified Fact' and candidates_evidence.prospect_id in (select ready.prospect_id from ready)
    group by candidates_evidence.prospect_id
),

used as (
    select
        ready.prospect_id,
        ready.campaign_id,
        max(candidates_evidence.observation) as personalisation_used
    from ready
    inner join candidates_evidence
        on
            ready.prospect_id = candidates_evidence.prospect_id
            and ready.personalisation_evidence = candidates_evidence.evidence_id
    group by ready.prospect_id, ready.campaign_id
),

conversation as (
    select
        prospect_id,
        campaign_id,
        sum(case when event_type in ('sent', 'closeout_sent') then 1 else 0 end) as messages_sent,
        sum(case when event_type = 'reply_question' then 1 else 0 end) as questions,
        sum(case when event_type = 'reply_objection' then 1 else 0 end) as objections,
        sum(case when event_type like 'reply%' and event_type <> 'reply_out_of_office' then 1 else 0 end) as replies,
        sum(case when event_type in ('reply_complaint', 'bounce_hard') then 1 else 0 end) as complaints_or_bounces
    from walk
    group by prospect_id, campaign_id
),

unsafe as (
    select
        candidates_evidence.prospect_id,
        count(*) as unsafe_points
    from candidates_evidence
    where not candidates_evidence.is_safe_to_mention and candidates_evidence.prospect_id in (select ready.prospect_id from ready)
    group by candidates_evidence.prospect_id
),

final as (
    select
        ready.prospect_id,
        ready.campaign_id,
        ready.contact as prospect,
        ready.role,
        ready.company,
        prospects.email,
        ready.source,
        ready.permission_context as relationship,
        ready.priority,
        verified.verified_context,
        used.personalisation_used,
        ready.reply_class as latest_reply_class,
        ready.offer,
        ready.booked_on,
        ready.showed,
        ready.proposal_state,
        ready.proposal_version,
        ready.proposal_scope,
        ready.proposal_price,
        ready.proposal_owner,
        ready.next_action as recommended_next_action,
        ready.next_action_date as deadline,
        ready.owner,
        ready.sequence_status,
        ready.crm_stage,
        ready.stage_evidence_ref,
        ready.qualification_status || coalesce(': ' || qualified.priority_reasons, '') as qualification,
        coalesce(conversation.messages_sent, 0) as messages_sent,
        coalesce(conversation.replies, 0) as replies,
        coalesce(conversation.questions, 0) as questions,
        coalesce(conversation.objections, 0) as objections,
        trim(
            case when prospects.identity_status <> 'Verified' then 'identity ' || prospects.identity_status || '; ' else '' end
            || case when coalesce(conversation.objections, 0) > 0 then 'objection raised; ' else '' end
            || case
                when coalesce(unsafe.unsafe_points, 0) > 0
                    then cast(unsafe.unsafe_points as varchar) || ' points not safe to mention (do not use them); '
                else ''
            end
            || case when ready.booked_on is not null and not ready.is_qualified_booking then 'booking not qualified; ' else '' end
        ) as risks
    from ready
    left join prospects on ready.prospect_id = prospects.prospect_id
    left join qualified on ready.prospect_id = qualified.prospect_id and ready.offer = qualified.offer_id
    left join verified on ready.prospect_id = verified.prospect_id
    left join used on ready.prospect_id = used.prospect_id and ready.campaign_id = used.campaign_id
    left join conversation on ready.prospect_id = conversation.prospect_id and ready.campaign_id = conversation.campaign_id
    left join unsafe on ready.prospect_id = unsafe.prospect_id
)

select * from final
