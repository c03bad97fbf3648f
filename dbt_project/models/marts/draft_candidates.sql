-- One row per prospect x campaign whose sequence is open for drafting on the run date:
-- eligible (int_campaign_eligibility: in the audience, qualified, permitted on the
-- channel, not suppressed, identity Verified or Probable, the campaign may draft, one
-- safe evidence point) and in a state where a draft is next (Not Started, Researching,
-- Drafting, Waiting For Approval, Ready To Send, Follow-Up Due). next_step is the step
-- to draft: the one after the last sent, and a follow-up only once its wait has passed.
with eligible as (
    select * from {{ ref('int_campaign_eligibility') }}
),

states as (
    select * from {{ ref('int_sequence_states_before_drafting') }}
),

final as (
    select
        eligible.*,
        states.state as sequence_state,
        states.current_step as next_step
    from eligible
    inner join states
        on eligible.prospect_id = states.prospect_id and eligible.campaign_id = states.campaign_id
    where states.is_open_for_drafting
)

select * from final
