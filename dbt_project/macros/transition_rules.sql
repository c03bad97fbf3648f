{#- The allowed transitions resolved for every state x event type (see int_sequence_transition_rules). -#}
{% macro transition_rules() %}
with rule_states as (
    select state from {{ ref('sequence_state_types') }}
),

rule_event_types as (
    select event_type from {{ ref('sequence_event_types') }}
),

allowed as (
    select * from {{ ref('allowed_transitions') }}
),

resolved_rules as (
    select
        states.state as from_state,
        event_types.event_type,
        coalesce(exact.to_state, from_wildcard.to_state, event_wildcard.to_state) as rule_to_state,
        case
            when exact.to_state is not null then 'exact'
            when from_wildcard.to_state is not null then 'from_state wildcard'
            when event_wildcard.to_state is not null then 'event wildcard'
        end as matched_by
    from rule_states as states
    cross join rule_event_types as event_types
    left join allowed as exact
        on exact.from_state = states.state and exact.event_type = event_types.event_type
    left join allowed as from_wildcard
        on from_wildcard.from_state = states.state and from_wildcard.event_type = '*'
    left join allowed as event_wildcard
        on event_wildcard.from_state = '*' and event_wildcard.event_type = event_types.event_type
),

rules_final as (
    select
        from_state,
        event_type,
        case
            when rule_to_state = '=' then from_state
            when rule_to_state = 'FORBIDDEN' then null
            else rule_to_state
        end as to_state,
        coalesce(matched_by, 'no rule') as matched_by
    from resolved_rules
)

select * from rules_final
{% endmacro %}
