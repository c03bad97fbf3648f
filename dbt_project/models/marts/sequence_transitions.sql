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
    select
        prospect_id,
        campaign_id,
        seq,
        1 as part,
        'time' as kind,
        time_event as trigger,
        state_before as from_state,
        state_elapsed as to_state,
        true as is_allowed,
        event_on as transition_on,
        cast(null as varchar) as evidence_ref
    from walk
    where time_event is not null
    union all
    select
        prospect_id,
        campaign_id,
        seq,
        2 as part,
        'event' as kind,
        event_type as trigger,
        state_elapsed as from_state,
        state_after as to_state,
        is_allowed,
        event_on as transition_on,
        evidence_ref
    from walk
    union all
    -- on the run date: time first, then a lost eligibility
    select
        states.prospect_id,
        states.campaign_id,
        states.events + 1 as seq,
        1 as part,
        'time' as kind,
        states.time_event as trigger,
        by_time.from_state,
        by_time.to_state,
        by_time.to_state is not null as is_allowed,
        {{ as_of() }} as transition_on,
        null as evidence_ref
    from states
    inner join rules as by_time
        on states.time_event = by_time.event_type
    inner join walk
        on
            states.prospect_id = walk.prospect_id and states.campaign_id = walk.campaign_id
            and states.events = walk.seq and by_time.from_state = walk.state_after
    union all
    select
        prospect_id,
        campaign_id,
        events + 1 as seq,
        2 as part,
        'eligibility' as kind,
        stop_event as trigger,
        state_before_stop as from_state,
        state as to_state,
        true as is_allowed,
        {{ as_of() }} as transition_on,
        null as evidence_ref
    from states
    where stop_event is not null
)

select * from final
