{{ config(tags=['after_drafting']) }}
-- Transitions outside the rules that no human has acknowledged yet: those after the last
-- day the campaign's latest acknowledgement covers. A breach is never forgotten
-- (sequence_transitions keeps it, and the acknowledgement records who looked and why);
-- after an acknowledgement the pilot gate judges the period since.
with transitions as (
    select * from {{ ref('sequence_transitions') }}
    where not is_allowed
),

acknowledged as (
    select
        campaign_id,
        max(covers_through) as covers_through
    from {{ ref('stg_review__breach_acknowledgements') }}
    group by campaign_id
),

final as (
    select
        transitions.campaign_id,
        transitions.prospect_id,
        transitions.seq,
        transitions.transition_on,
        transitions.from_state,
        transitions.to_state
    from transitions
    left join acknowledged on transitions.campaign_id = acknowledged.campaign_id
    where acknowledged.covers_through is null or transitions.transition_on > acknowledged.covers_through
)

select * from final
