-- One row per prospect x campaign whose sequence is open for drafting on the run date:
-- eligible (int_campaign_eligibility: in the audience, qualified, permitted on the
-- channel, not suppressed, identity Verified or Probable, the campaign may draft, one
-- safe evidence point) and in a state where a draft is next (Not Started, Researching,
-- Drafting, Waiting For Approval, Ready To Send, Follow-Up Due). next_step is the step
-- to draft: the one after the last sent, and a follow-up only once its wait has passed.
-- When a campaign's experiment splits that step, experiment_id and arm_id name the
-- prospect's arm (a stable hash of experiment and prospect): drafting uses its variant.
with eligible as (
    select * from {{ ref('int_campaign_eligibility') }}
),

states as (
    select * from {{ ref('int_sequence_states_before_drafting') }}
),

arms as (
    select * from {{ ref('stg_config__experiment_arms') }}
),

final as (
    select
        eligible.prospect_id,
        eligible.campaign_id,
        eligible.client_id,
        eligible.offer_id,
        eligible.channel,
        eligible.send_authority,
        eligible.priority,
        eligible.priority_reasons,
        eligible.identity_status,
        eligible.lawful_basis,
        eligible.evidence_id,
        eligible.evidence_class,
        eligible.evidence_category,
        eligible.evidence_observation,
        eligible.evidence_source_url,
        eligible.evidence_source_on,
        states.state as sequence_state,
        states.current_step as next_step,
        arms.experiment_id,
        arms.arm_id
    from eligible
    inner join states
        on eligible.prospect_id = states.prospect_id and eligible.campaign_id = states.campaign_id
    left join arms
        on {{ experiment_arm_matches('arms', 'eligible.campaign_id', 'states.current_step', 'eligible.prospect_id') }}
    where states.is_open_for_drafting
)

select * from final
