{{ config(tags=['after_drafting']) }}
-- Learning as a report for a human (framework Learning And Governance Layer): one row per
-- recommendation the measured figures support, from human edits, reviewer rejections,
-- reply classes and corrections, complaints and experiment results, each with the
-- evidence (figures) and the part of the configuration a person might change. Nothing
-- here changes configuration: a change is a person's edit, reviewed, and shows up as a
-- new version in config_versions.
with campaigns as (
    select * from {{ ref('stg_config__campaigns') }}
),

communications as (
    select
        communication_id,
        min(campaign_id) as campaign_id,
        min(step) as step
    from {{ ref('stg_drafting__draft_history') }}
    group by communication_id
),

decisions as (
    select
        communications.campaign_id,
        communications.step,
        decisions.decision
    from {{ ref('stg_review__decisions') }} as decisions
    inner join communications on decisions.communication_id = communications.communication_id
),

by_step as (
    select
        campaign_id,
        step,
        {{ review_decision_counts() }}
    from decisions
    group by campaign_id, step
),

replies as (
    select
        communications.campaign_id,
        count(*) as replies,
        sum(case when inbound.reply_class = 'Objection' then 1 else 0 end) as objections,
        sum(case when inbound.reply_class = 'Not A Fit' then 1 else 0 end) as not_a_fit,
        sum(case when inbound.reply_class = 'Complaint' then 1 else 0 end) as complaints
    from {{ ref('stg_inbound__messages') }} as inbound
    inner join communications on inbound.communication_id = communications.communication_id
    where inbound.reply_class not in ('Out Of Office', 'Bounce')
    group by communications.campaign_id
),

corrections as (
    select
        campaign_id,
        count(*) as corrected
    from {{ ref('int_funnel_events') }}
    where reply_corrections > 0
    group by campaign_id
),

winners as (
    select * from {{ ref('experiment_results') }}
    where is_winner
),

recommendations as (
    select
        by_step.campaign_id,
        'message structure and personalisation' as area,
        'human edits' as signal,
        cast(by_step.edits as varchar) || ' of ' || cast(by_step.approvals as varchar) || ' approved step '
        || cast(by_step.step as varchar) || ' drafts were edited by the reviewer (limit '
        || cast(campaigns.pilot_max_edit_rate as varchar) || ')' as evidence,
        'Read the edits (review.decisions) and revise the step ' || cast(by_step.step as varchar)
        || ' template in config/sequences.yml' as recommendation
    from by_step
    inner join campaigns on by_step.campaign_id = campaigns.campaign_id
    where by_step.approvals >= 5 and cast(by_step.edits as double precision) / by_step.approvals > campaigns.pilot_max_edit_rate

    union all

    select
        campaign_id,
        'target criteria and qualification' as area,
        'reviewer rejections' as signal,
        cast(rejections as varchar)
        || ' of '
        || cast(decisions as varchar)
        || ' step '
        || cast(step as varchar)
        || ' drafts rejected' as evidence,
        'Read the rejection notes and tighten the audience or the scoring rules (config/offers.yml, config/scoring.yml)' as recommendation
    from by_step
    where decisions >= 5 and cast(rejections as double precision) / decisions > 0.4

    union all

    select
        campaign_id,
        'objection handling' as area,
        'objection replies' as signal,
        cast(objections as varchar) || ' of ' || cast(replies as varchar) || ' replies were objections' as evidence,
        'Review the objections and the claims and CTA they answer (config/offers.yml)' as recommendation
    from replies
    where replies >= 5 and cast(objections as double precision) / replies >= 0.2

    union all

    select
        campaign_id,
        'target criteria' as area,
        'not-a-fit replies' as signal,
        cast(not_a_fit as varchar) || ' of ' || cast(replies as varchar) || ' replies said not a fit' as evidence,
        'Review the buyer roles and business types of the offer (config/offers.yml)' as recommendation
    from replies
    where replies >= 5 and cast(not_a_fit as double precision) / replies >= 0.3

    union all

    select
        campaign_id,
        'audience and message relevance' as area,
        'complaints' as signal,
        cast(complaints as varchar) || ' complaint(s) among ' || cast(replies as varchar) || ' replies' as evidence,
        'Review who the campaign reaches and why before sending more' as recommendation
    from replies
    where complaints > 0

    union all

    select
        campaign_id,
        'reply classification' as area,
        'human corrections' as signal,
        cast(corrected as varchar) || ' reply classes corrected by a person' as evidence,
        'Review the classifier rules with the corrected messages (reply_reclassified events)' as recommendation
    from corrections
    where corrected >= 3

    union all

    select
        campaign_id,
        'CTA, purpose or timing' as area,
        'experiment ' || experiment_id as signal,
        'arm ' || arm_id || ' (' || changes || '): ' || verdict as evidence,
        'Consider adopting arm ' || arm_id || ' in the sequence and ending experiment ' || experiment_id
        || ' (config/campaigns.yml, config/sequences.yml)' as recommendation
    from winners
),

final as (
    select
        recommendations.*,
        'a person edits the configuration; the change is reviewed, versioned (config_versions) and approved' as how_to_apply
    from recommendations
)

select * from final
