{{ config(tags=['after_drafting']) }}
-- One row per campaign: the funnel to date (every count summed over all days up to
-- the run date, rates from those sums), with what only a snapshot can say: prospects
-- researched and qualified for the campaign's offer, CRM evidence coverage (rows whose
-- stage has evidence), CRM accuracy (of the records a human audited against their
-- evidence, the latest audit of each up to the run date, the share whose stage was
-- right: a measure independent of the pipeline, null until someone audits), transitions
-- the rules do not allow, and the review backlog.
with campaigns as (
    select * from {{ ref('stg_config__campaigns') }}
),

facts as (
    select * from {{ ref('int_funnel_events') }}
    where campaign_id is not null
),

totals as (
    select
        campaign_id, {{ funnel_sums() }}
    from facts
    group by campaign_id
),

researched as (
    select
        campaigns.campaign_id,
        count(*) as prospects_researched,
        sum(case when qualified.priority in ('Priority One', 'Priority Two') then 1 else 0 end) as prospects_scored_qualified
    from campaigns
    inner join {{ ref('int_prospect_offers_qualified') }} as qualified on campaigns.offer_id = qualified.offer_id
    group by campaigns.campaign_id
),

eligible as (
    select
        campaign_id,
        count(*) as prospects_qualified
    from {{ ref('int_campaign_eligibility') }}
    group by campaign_id
),

crm as (
    select
        campaign_id,
        count(*) as crm_rows,
        sum(case when stage_evidence_key is not null then 1 else 0 end) as crm_rows_evidenced
    from {{ ref('crm_pipeline') }}
    group by campaign_id
),

ranked_audits as (
    select
        *,
        row_number() over (partition by prospect_id, campaign_id order by audited_on desc) as recency
    from {{ ref('stg_review__crm_audits') }}
    where audited_on <= {{ as_of() }}
),

latest_audits as (
    select * from ranked_audits
    where recency = 1
),

audits as (
    select
        campaign_id,
        count(*) as crm_audits,
        sum(case when is_correct then 1 else 0 end) as crm_audits_correct
    from latest_audits
    group by campaign_id
),

-- outside the rules and not yet acknowledged by a human (int_transitions_unacknowledged)
transitions as (
    select
        campaign_id,
        count(*) as transitions_not_allowed
    from {{ ref('int_transitions_unacknowledged') }}
    group by campaign_id
),

-- when each step of each sequence was first drafted
first_drafts as (
    select
        prospect_id,
        campaign_id,
        step,
        min(event_on) as first_drafted_on
    from {{ ref('int_sequence_walk') }}
    where event_type = 'drafted'
    group by prospect_id, campaign_id, step
),

-- how long the oldest draft still waiting for a decision has waited
backlog as (
    select
        states.campaign_id,
        count(*) as drafts_waiting,
        max({{ dbt.datediff('waiting.first_drafted_on', as_of(), 'day') }}) as oldest_waiting_days
    from {{ ref('sequence_states') }} as states
    inner join first_drafts as waiting
        on
            states.prospect_id = waiting.prospect_id and states.campaign_id = waiting.campaign_id
            and states.current_step = waiting.step
    where states.state = 'Waiting For Approval'
    group by states.campaign_id
),

summed as (
    select
        campaigns.campaign_id,
        campaigns.offer_id,
        campaigns.channel,
        {{ as_of() }} as as_of,
        coalesce(researched.prospects_researched, 0) as prospects_researched,
        coalesce(eligible.prospects_qualified, 0) as prospects_qualified,
        {%- for c in funnel_count_columns() %}
            coalesce(totals.{{ c }}, 0) as {{ c }},
        {%- endfor %}
        coalesce(crm.crm_rows, 0) as crm_rows,
        coalesce(crm.crm_rows_evidenced, 0) as crm_rows_evidenced,
        coalesce(audits.crm_audits, 0) as crm_audits,
        coalesce(audits.crm_audits_correct, 0) as crm_audits_correct,
        coalesce(transitions.transitions_not_allowed, 0) as transitions_not_allowed,
        coalesce(backlog.drafts_waiting, 0) as drafts_waiting,
        coalesce(backlog.oldest_waiting_days, 0) as oldest_waiting_days
    from campaigns
    left join totals on campaigns.campaign_id = totals.campaign_id
    left join researched on campaigns.campaign_id = researched.campaign_id
    left join eligible on campaigns.campaign_id = eligible.campaign_id
    left join crm on campaigns.campaign_id = crm.campaign_id
    left join audits on campaigns.campaign_id = audits.campaign_id
    left join transitions on campaigns.campaign_id = transitions.campaign_id
    left join backlog on campaigns.campaign_id = backlog.campaign_id
),

final as (
    select
        summed.*,
        {{ funnel_rates() }},
        {{ ratio('crm_rows_evidenced', 'crm_rows') }} as crm_evidence_coverage,
        {{ ratio('crm_audits_correct', 'crm_audits') }} as crm_accuracy
    from summed
)

select * from final
