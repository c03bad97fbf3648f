-- One row per prospect x campaign with a proposal event up to the run date: the latest
-- proposal's record (version, scope, price, owner: the only terms a follow-up may state),
-- the follow-ups sent for it, and the framework's Proposal Follow-Up State. Built before
-- drafting (proposal follow-up drafts read it, marts.proposal_follow_up_candidates) and
-- read by marts.crm_pipeline: one home for the ten states.
--
-- Follow-Up Due: no answer for the campaign's proposal_follow_up_days since the latest
-- proposal event or the latest follow-up sent, fewer than proposal_follow_ups sent, no
-- human reply since the latest proposal event (a person answers a reply), not parked,
-- not past proposal_valid_days.
-- an event naming no campaign is the prospect's: it belongs to each of their pairs (as in
-- the sequence walk); drafting follows up once per person (proposal_follow_up_candidates)
with events as (
    select
        events.event_id,
        events.prospect_id,
        pairs.campaign_id,
        events.event_type,
        events.event_at,
        events.event_on,
        events.evidence_key,
        events.value
    from {{ ref('int_sequence_events') }} as events
    inner join {{ ref('int_sequence_pairs') }} as pairs
        on
            events.prospect_id = pairs.prospect_id
            and (events.campaign_id is null or events.campaign_id = pairs.campaign_id)
    where events.event_type like 'proposal%' or events.event_type in ('deal_won', 'deal_lost')
),

campaigns as (
    select * from {{ ref('stg_config__campaigns') }}
),

latest as (
    select
        prospect_id,
        campaign_id,
        event_type as latest_event_type,
        event_on as latest_event_on,
        row_number() over (partition by prospect_id, campaign_id order by event_at desc, event_id desc) as recency
    from events
),

proposals_sent as (
    select
        events.prospect_id,
        events.campaign_id,
        events.event_on as proposal_sent_on,
        events.value as proposal_price,
        records.proposal_version,
        records.scope_summary,
        records.proposal_owner,
        row_number() over (
            partition by events.prospect_id, events.campaign_id order by events.event_at desc, events.event_id desc
        ) as recency
    from events
    inner join {{ ref('stg_raw__events') }} as records on events.evidence_key = records.event_record_id
    where events.event_type = 'proposal_sent'
),

current_proposal as (
    select * from proposals_sent
    where recency = 1
),

-- the person's follow-ups since the proposal, in whichever campaign they went
follow_ups as (
    select
        current_proposal.prospect_id,
        current_proposal.campaign_id,
        count(*) as follow_ups_sent,
        max(cast(sends.sent_at as date)) as last_follow_up_on
    from current_proposal
    inner join {{ ref('stg_send__records') }} as sends
        on current_proposal.prospect_id = sends.prospect_id
    where
        sends.sent_status = 'sent' and sends.message_type = 'Proposal Follow-Up'
        and cast(sends.sent_at as date) between current_proposal.proposal_sent_on and {{ as_of() }}
    group by current_proposal.prospect_id, current_proposal.campaign_id
),

replies as (
    select
        prospect_id,
        max(received_on) as last_reply_on
    from {{ ref('stg_inbound__messages') }}
    where stops_sequence and prospect_id is not null and received_on <= {{ as_of() }}
    group by prospect_id
),

parked as (
    select
        prospect_id,
        campaign_id
    from {{ ref('int_sequence_states_before_drafting') }}
    where state = 'Parked'
),

joined as (
    select
        latest.prospect_id,
        latest.campaign_id,
        latest.latest_event_type,
        latest.latest_event_on,
        current_proposal.proposal_sent_on,
        current_proposal.proposal_version,
        current_proposal.scope_summary as proposal_scope,
        current_proposal.proposal_price,
        current_proposal.proposal_owner,
        campaigns.proposal_follow_up_days,
        campaigns.proposal_follow_ups,
        campaigns.proposal_valid_days,
        follow_ups.last_follow_up_on,
        coalesce(follow_ups.follow_ups_sent, 0) as follow_ups_sent,
        parked.prospect_id is not null as is_parked,
        coalesce(replies.last_reply_on >= latest.latest_event_on, false) as has_reply_since,
        case
            when follow_ups.last_follow_up_on > latest.latest_event_on then follow_ups.last_follow_up_on
            else latest.latest_event_on
        end as last_touch_on
    from latest
    inner join campaigns on latest.campaign_id = campaigns.campaign_id
    left join current_proposal
        on latest.prospect_id = current_proposal.prospect_id and latest.campaign_id = current_proposal.campaign_id
    left join follow_ups on latest.prospect_id = follow_ups.prospect_id and latest.campaign_id = follow_ups.campaign_id
    left join replies on latest.prospect_id = replies.prospect_id
    left join parked on latest.prospect_id = parked.prospect_id and latest.campaign_id = parked.campaign_id
    where latest.recency = 1
),

final as (
    select
        prospect_id,
        campaign_id,
        latest_event_type,
        latest_event_on,
        proposal_sent_on,
        proposal_version,
        proposal_scope,
        proposal_price,
        proposal_owner,
        follow_ups_sent,
        last_follow_up_on,
        cast({{ dbt.dateadd('day', 'proposal_follow_up_days', 'last_touch_on') }} as date) as follow_up_due_on,
        -- framework Proposal Follow-Up States
        case
            when latest_event_type in ('proposal_accepted', 'deal_won') then 'Accepted'
            when latest_event_type in ('proposal_declined', 'deal_lost') then 'Rejected'
            when is_parked then 'Parked'
            when {{ dbt.datediff('proposal_sent_on', as_of(), 'day') }} > proposal_valid_days then 'Expired'
            when latest_event_type = 'proposal_question' then 'Questions Received'
            when latest_event_type = 'proposal_revision_requested' then 'Revision Requested'
            -- a person wrote since the proposal: a person answers, nothing automatic
            when has_reply_since then 'Questions Received'
            when
                {{ dbt.datediff('last_touch_on', as_of(), 'day') }} >= proposal_follow_up_days
                and follow_ups_sent < proposal_follow_ups
                then 'Follow-Up Due'
            when latest_event_type = 'proposal_viewed' then 'Decision Pending'
            when latest_event_type = 'proposal_sent' and proposal_sent_on = {{ as_of() }} then 'Proposal Sent'
            else 'Waiting For Confirmation'
        end as proposal_state
    from joined
)

select * from final
