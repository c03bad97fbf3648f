{{ config(tags=['after_drafting']) }}
-- Every transition every sequence made, in order: those caused by time (a wait
-- elapsed, a review date came) and those caused by an event, with the evidence, and
-- whether the rule table (seed allowed_transitions) allows it. A check fails on any
-- transition it does not allow: a send from a state that may not send, a draft for a
-- suppressed prospect.
with walk as (
    select * from {{ ref('int_sequence_walk') }}
),

states as (
    select * from {{ ref('sequence_states') }}
),

rules as (
    select * from {{ ref('int_sequence_transition_rules') }}
),

final as (
    select prospect_id, campaign_id, seq, 1 as part, 'time' as kind, time_event as trigger,
        state_before as from_state, state_elapsed as to_state, true as is_allowed,
        event_on as transition_on, cast(null as varchar) as evidence_ref
    from walk
    where time_event is not null
    union all
    select prospect_id, campaign_id, seq, 2, 'event', event_type,
        state_elapsed, state_after, is_allowed, event_on, evidence_ref
    from walk
    union all
    -- on the run date: time first, then a lost eligibility
    select states.prospect_id, states.campaign_id, states.events + 1, 1, 'time', states.time_event,
        by_time.from_state, by_time.to_state, by_time.to_state is not null, {{ as_of() }}, null
    from states
    inner join rules as by_time
        on by_time.event_type = states.time_event
    inner join walk
        on walk.prospect_id = states.prospect_id and walk.campaign_id = states.campaign_id
        and walk.seq = states.events and by_time.from_state = walk.state_after
    union all
    select prospect_id, campaign_id, events + 1, 2, 'eligibility', stop_event,
        state_before_stop, state, true, {{ as_of() }}, null
    from states
    where stop_event is not null
)

select * from final
