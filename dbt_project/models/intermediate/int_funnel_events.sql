{{ config(tags=['after_drafting']) }}
-- One row per fact of the event log (each counted once, not once per campaign it
-- moved), attributed to a day, campaign, offer, channel and step, with one column per
-- funnel count it adds to. Replies count for the step they answer; a CRM event with no
-- campaign counts for the campaign that last sent to the prospect.
with events as (
    select * from {{ ref('int_sequence_events') }}
    where source_system <> 'suppression'
),

walk as (
    select * from {{ ref('int_sequence_walk') }}
),

campaigns as (
    select * from {{ ref('stg_config__campaigns') }}
),

qualified as (
    select * from {{ ref('int_prospect_offers_qualified') }}
),

prospects as (
    select
        prospect_id,
        identity_status
    from {{ ref('prospects') }}
),

decisions as (
    select
        decision_id,
        decision
    from {{ ref('stg_review__decisions') }}
),

records as (
    select * from {{ ref('stg_send__records') }}
),

-- a prospect's latest campaign that sent, for facts that name no campaign
last_campaigns as (
    select
        prospect_id,
        campaign_id
    from (
        select
            prospect_id,
            campaign_id,
            row_number() over (partition by prospect_id order by sent_at desc, record_id desc) as recency
        from records
        where sent_status = 'sent'
    ) as ranked
    where recency = 1
),

first_sent as (
    select
        prospect_id,
        campaign_id,
        min(cast(sent_at as date)) as first_sent_on
    from records
    where sent_status = 'sent'
    group by prospect_id, campaign_id
),

-- the due date before each follow-up send, from the walk
follow_up_timing as (
    select
        event_id,
        due_before,
        -- on time: sent at most two days after it was due
        {{ dbt.dateadd('day', 2, 'due_before') }} as on_time_until
    from walk
    where event_type in ('sent', 'closeout_sent') and step > 1
),

first_versions as (
    select
        event_id,
        row_number() over (partition by communication_id order by event_at, event_id) as version_number
    from events
    where event_type = 'drafted'
),

attributed as (
    select
        events.*,
        coalesce(events.campaign_id, last_campaigns.campaign_id) as funnel_campaign_id
    from events
    left join last_campaigns on events.prospect_id = last_campaigns.prospect_id
),

final as (
    select
        attributed.event_id,
        attributed.event_on as funnel_day,
        attributed.funnel_campaign_id as campaign_id,
        campaigns.offer_id,
        campaigns.channel,
        coalesce(attributed.step, 0) as step,
        attributed.prospect_id,
        attributed.event_type,
        case when attributed.event_type = 'drafted' and first_versions.version_number = 1 then 1 else 0 end as drafts_created,
        case when attributed.event_type = 'approved' then 1 else 0 end as messages_approved,
        case when decisions.decision = 'Edit And Approve' then 1 else 0 end as human_edits,
        case when attributed.event_type = 'draft_rejected' then 1 else 0 end as reviewer_rejections,
        case when attributed.source_system = 'review' then 1 else 0 end as review_decisions,
        case when attributed.event_type in ('sent', 'closeout_sent') then 1 else 0 end as messages_sent,
        case when attributed.event_type in ('sent', 'closeout_sent') and attributed.step > 1 then 1 else 0 end as followups_sent,
        case
            when
                follow_up_timing.due_before is not null
                and attributed.event_on >= follow_up_timing.due_before
                and attributed.event_on <= follow_up_timing.on_time_until
                then 1
            else 0
        end as followups_on_time,
        case when attributed.event_type = 'send_failed' then 1 else 0 end as send_failures,
        case when attributed.event_type = 'bounce_hard' then 1 else 0 end as hard_bounces,
        case when attributed.event_type = 'bounce_soft' then 1 else 0 end as soft_bounces,
        case when attributed.event_type = 'reply_complaint' then 1 else 0 end as complaints,
        case when attributed.event_type = 'reply_unsubscribe' then 1 else 0 end as unsubscribes,
        case when attributed.event_type like 'reply%' and attributed.event_type <> 'reply_out_of_office' then 1 else 0 end as replies,
        case when attributed.event_type in ('reply_interested', 'reply_booked') then 1 else 0 end as positive_replies,
        case when attributed.event_type = 'reply_question' then 1 else 0 end as questions,
        case when attributed.event_type = 'reply_objection' then 1 else 0 end as objections,
        case when attributed.event_type = 'reply_not_now' then 1 else 0 end as not_now,
        case when attributed.event_type = 'reply_not_a_fit' then 1 else 0 end as not_a_fit,
        case when attributed.event_type = 'reply_referral' then 1 else 0 end as referrals,
        case when attributed.event_type = 'reply_unknown' then 1 else 0 end as unknown_replies,
        case when attributed.event_type = 'reply_out_of_office' then 1 else 0 end as out_of_office,
        case when attributed.source_system = 'inbound' and attributed.detail like '%(corrected from %' then 1 else 0 end as reply_corrections,
        case
            when
                attributed.event_type in ('reply_interested', 'reply_question', 'reply_booked')
                and qualified.priority in ('Priority One', 'Priority Two') then 1
            else 0
        end as qualified_conversations,
        case when attributed.event_type in ('reply_booked', 'appointment_proposed') then 1 else 0 end as appointment_proposals,
        case when attributed.event_type = 'calendar_confirmed' then 1 else 0 end as bookings,
        case
            when
                attributed.event_type = 'calendar_confirmed'
                and qualified.priority in ('Priority One', 'Priority Two')
                and prospects.identity_status in ('Verified', 'Probable') then 1
            else 0
        end as qualified_bookings,
        case when attributed.event_type = 'meeting_held' then 1 else 0 end as shows,
        case when attributed.event_type = 'meeting_no_show' then 1 else 0 end as no_shows,
        case when attributed.event_type = 'proposal_sent' then 1 else 0 end as proposals,
        case when attributed.event_type = 'deal_won' then 1 else 0 end as wins,
        case when attributed.event_type in ('deal_lost', 'proposal_declined') then 1 else 0 end as losses,
        case when attributed.event_type = 'deal_won' then coalesce(attributed.value, 0) else 0 end as revenue,
        case
            when attributed.event_type = 'deal_won' and first_sent.first_sent_on is not null
                then {{ dbt.datediff('first_sent.first_sent_on', 'attributed.event_on', 'day') }}
            else 0
        end as sales_cycle_days,
        case
            when attributed.event_type in ('sent', 'closeout_sent') then coalesce(campaigns.cost_per_message, 0) else 0
        end as cost
    from attributed
    left join campaigns on attributed.funnel_campaign_id = campaigns.campaign_id
    left join qualified on attributed.prospect_id = qualified.prospect_id and campaigns.offer_id = qualified.offer_id
    left join prospects on attributed.prospect_id = prospects.prospect_id
    left join decisions on attributed.evidence_key = decisions.decision_id and attributed.source_system = 'review'
    left join follow_up_timing on attributed.event_id = follow_up_timing.event_id
    left join first_versions on attributed.event_id = first_versions.event_id
    left join first_sent
        on attributed.prospect_id = first_sent.prospect_id and attributed.funnel_campaign_id = first_sent.campaign_id
)

select * from final
