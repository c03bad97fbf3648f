{#-
  The state of every prospect x campaign on the run date, from its walk: the last
  event's state moved by time to the run date, then stopped if the pair is no longer
  eligible (identity uncertain, no longer qualified, the offer no longer relevant).
  Pairs with no events yet are Not Started.
-#}
{% macro sequence_states(walk) %}
with walk as (
    select * from {{ walk }}
),

pairs as (
    select * from {{ ref('int_sequence_pairs') }}
),

rules as (
    {{ transition_rules() }}
),

state_types as (
    select * from {{ ref('sequence_state_types') }}
),

steps as (
    select * from {{ ref('stg_config__sequence_steps') }}
),

ranked as (
    select
        walk.*,
        row_number() over (partition by prospect_id, campaign_id order by seq desc) as recency,
        sum(case when is_allowed then 0 else 1 end) over (partition by prospect_id, campaign_id) as transitions_not_allowed,
        count(*) over (partition by prospect_id, campaign_id) as events
    from walk
),

latest as (
    select * from ranked where recency = 1
),

last_replies as (
    select prospect_id, campaign_id, reply_class
    from (
        select prospect_id, campaign_id, reply_class,
            row_number() over (partition by prospect_id, campaign_id order by seq desc) as recency
        from walk
        where reply_class is not null
    ) as replies
    where recency = 1
),

timed as (
    select
        pairs.prospect_id,
        pairs.campaign_id,
        pairs.sequence_id,
        pairs.is_eligible,
        coalesce(latest.state_after, 'Not Started') as state_before_today,
        {{ sequence_time_event('latest.state_after', as_of(), 'latest.approval_expires_on', 'latest.next_due_on', 'latest.last_sent_on', 'latest.review_on') }} as time_event,
        latest.event_type as last_event_type,
        latest.event_at as last_event_at,
        latest.evidence_ref as last_evidence_ref,
        latest.detail as last_event_detail,
        last_replies.reply_class as last_reply_class,
        latest.last_sent_step,
        latest.last_sent_on,
        latest.next_due_on,
        latest.review_on,
        latest.approval_expires_on,
        coalesce(latest.events, 0) as events,
        coalesce(latest.transitions_not_allowed, 0) as transitions_not_allowed
    from pairs
    left join latest on pairs.prospect_id = latest.prospect_id and pairs.campaign_id = latest.campaign_id
    left join last_replies
        on pairs.prospect_id = last_replies.prospect_id and pairs.campaign_id = last_replies.campaign_id
),

moved as (
    select
        timed.*,
        coalesce(by_time.to_state, timed.state_before_today) as state_after_time
    from timed
    left join rules as by_time
        on by_time.from_state = timed.state_before_today and by_time.event_type = timed.time_event
),

stopped as (
    select
        moved.*,
        case when not moved.is_eligible and lost.to_state is not null then 'eligibility_lost' end as stop_event,
        case
            when not moved.is_eligible and lost.to_state is not null then lost.to_state
            else moved.state_after_time
        end as state
    from moved
    left join rules as lost
        on lost.from_state = moved.state_after_time and lost.event_type = 'eligibility_lost'
),

final as (
    select
        stopped.prospect_id,
        stopped.campaign_id,
        stopped.state,
        state_types.is_open_for_drafting and stopped.is_eligible as is_open_for_drafting,
        state_types.is_terminal,
        stopped.is_eligible,
        -- the step a draft is for: the one after the last sent
        case when state_types.is_open_for_drafting then coalesce(stopped.last_sent_step, 0) + 1 end as current_step,
        case
            when stopped.state in ('Sent', 'Waiting', 'Follow-Up Due', 'Not Started', 'Researching', 'Drafting',
                'Waiting For Approval', 'Ready To Send')
                and coalesce(stopped.last_sent_step, 0) < steps.max_steps
                then coalesce(stopped.last_sent_step, 0) + 1
        end as next_step,
        case
            when stopped.state in ('Sent', 'Waiting', 'Follow-Up Due') then stopped.next_due_on
            when stopped.state = 'Parked' then stopped.review_on
            when state_types.is_open_for_drafting then {{ as_of() }}
        end as next_due_on,
        stopped.time_event,
        stopped.stop_event,
        stopped.state_after_time as state_before_stop,
        case
            when stopped.stop_event is not null then 'no longer eligible for the campaign'
            when stopped.time_event = 'wait_elapsed' then 'the wait for step ' || cast(coalesce(stopped.last_sent_step, 0) + 1 as varchar) || ' has passed'
            when stopped.time_event = 'review_due' then 'review date reached'
            when stopped.time_event = 'approval_expired' then 'the approval expired'
            when stopped.last_event_type is null then 'eligible; nothing drafted yet'
            else stopped.last_event_type || ': ' || coalesce(stopped.last_event_detail, '')
        end as state_reason,
        stopped.last_event_type,
        stopped.last_event_at,
        stopped.last_evidence_ref,
        stopped.last_reply_class,
        stopped.last_sent_step,
        stopped.last_sent_on,
        stopped.review_on,
        stopped.approval_expires_on,
        steps.max_steps,
        stopped.events,
        stopped.transitions_not_allowed
    from stopped
    inner join state_types on stopped.state = state_types.state
    left join (select sequence_id, max(max_steps) as max_steps from steps group by sequence_id) as steps
        on stopped.sequence_id = steps.sequence_id
)

select * from final
{% endmacro %}
