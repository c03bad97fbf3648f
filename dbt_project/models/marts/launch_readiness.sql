{{ config(tags=['after_drafting']) }}
-- One row per campaign x item of the framework's Launch Readiness Checklist, evaluated
-- from config and data on the run date: passed, and the reason either way. The send job
-- refuses a campaign with any failing item (naming it); the review export shows the
-- campaign's readiness at the top. An item that only config can satisfy says so.
with campaigns as (
    select * from {{ ref('stg_config__campaigns') }}
),

offers as (
    select * from {{ ref('stg_config__offers') }}
),

buyer_roles as (
    select offer_id, count(*) as roles from {{ ref('stg_config__offer_buyer_roles') }} group by offer_id
),

scoring as (
    select
        count(*) as factors,
        sum(case when points < 0 then 1 else 0 end) as negative_factors
    from {{ ref('stg_config__scoring_rules') }}
),

audience_sources as (
    select campaign_id, value as source_id
    from {{ ref('stg_config__campaign_audience') }}
    where dimension = 'source'
),

sources as (
    select * from {{ ref('stg_config__lead_sources') }}
),

-- the sources a campaign draws on: its audience sources, or every registered source
campaign_sources as (
    select campaigns.campaign_id, sources.*
    from campaigns
    inner join sources
        on sources.source_id in (select source_id from audience_sources where audience_sources.campaign_id = campaigns.campaign_id)
        or not exists (select 1 from audience_sources where audience_sources.campaign_id = campaigns.campaign_id)
),

source_review as (
    select
        campaign_id,
        count(*) as sources,
        sum(case when reviewed_on is null or {{ dbt.datediff('reviewed_on', as_of(), 'day') }} > 365 then 1 else 0 end) as unreviewed,
        {{ dbt.listagg("case when reviewed_on is null or " ~ dbt.datediff('reviewed_on', as_of(), 'day') ~ " > 365 then source_id end", "', '", "order by source_id") }} as unreviewed_sources,
        sum(case when is_third_party then 1 else 0 end) as third_party,
        sum(case when is_third_party and notice is null then 1 else 0 end) as without_notice,
        {{ dbt.listagg("case when is_third_party and notice is null then source_id end", "', '", "order by source_id") }} as without_notice_list
    from campaign_sources
    group by campaign_id
),

evidence_rules as (
    select count(*) as rules from {{ ref('stg_config__evidence_rules') }}
),

eligible as (
    select campaign_id, count(*) as candidates, sum(case when evidence_id is null then 1 else 0 end) as without_evidence
    from {{ ref('int_campaign_eligibility') }}
    group by campaign_id
),

unlabelled as (
    select count(*) as points
    from {{ ref('prospect_evidence') }}
    where evidence_class is null or evidence_class not in (select evidence_class from {{ ref('evidence_classes') }})
),

channels as (
    select * from {{ ref('stg_config__channel_rules') }}
),

jurisdictions as (
    select count(*) as rules from {{ ref('stg_config__jurisdiction_rules') }}
),

suppressions as (
    select count(*) as in_effect, max(cast(suppressed_at as date)) as latest_on
    from {{ ref('int_prospects_suppressed') }}
),

-- the message lint runs on every draft; what matters for launch is that the templates
-- produce passing drafts, and that nothing approved breaks the claims or CTA rules
drafts as (
    select
        drafts.campaign_id,
        count(*) as drafts,
        sum(case when drafts.lint_passed then 1 else 0 end) as passing_lint,
        sum(case when approved.is_approved and not drafts.lint_approved_claims_only then 1 else 0 end) as unapproved_claims,
        sum(case when approved.is_approved and not drafts.lint_one_cta then 1 else 0 end) as not_one_cta
    from {{ ref('stg_drafting__drafts') }} as drafts
    left join {{ ref('int_drafts_approved') }} as approved on drafts.communication_id = approved.communication_id
    group by drafts.campaign_id
),

steps as (
    select sequence_id, count(*) as steps from {{ ref('stg_config__sequence_steps') }} group by sequence_id
),

stop_events as (
    select count(*) as stops from {{ ref('sequence_event_types') }} where stops_sequence
),

reply_actions as (
    select
        count(distinct reply_class) as classes,
        sum(case when next_action is null then 1 else 0 end) as without_action,
        max(case when reply_class = 'Complaint' and creates_suppression then 1 else 0 end) as complaint_suppresses,
        max(case when reply_class = 'Unsubscribe' and creates_suppression then 1 else 0 end) as unsubscribe_suppresses
    from {{ ref('reply_actions') }}
),

crm_stages as (
    select count(*) as stages from {{ ref('crm_stages') }}
),

next_actions as (
    select campaign_id, sum(case when next_action is not null and next_action_date is null then 1 else 0 end) as undated
    from {{ ref('crm_pipeline') }}
    group by campaign_id
),

monitor as (
    select campaign_id, status from {{ ref('deliverability_monitor') }}
),

funnel as (
    select campaign_id from {{ ref('funnel_campaign') }}
),

authorities as (
    select send_authority, may_send from {{ ref('send_authorities') }}
),

facts as (
    select
        campaigns.*,
        coalesce(authorities.may_send, false) as authority_may_send,
        offers.offer_id is not null as has_offer,
        coalesce(buyer_roles.roles, 0) as buyer_roles,
        scoring.factors, scoring.negative_factors,
        coalesce(source_review.sources, 0) as sources,
        coalesce(source_review.unreviewed, 0) as unreviewed_sources,
        source_review.unreviewed_sources as unreviewed_list,
        coalesce(source_review.third_party, 0) as third_party_sources,
        coalesce(source_review.without_notice, 0) as sources_without_notice,
        source_review.without_notice_list,
        evidence_rules.rules as evidence_rules,
        coalesce(eligible.candidates, 0) as candidates,
        coalesce(eligible.without_evidence, 0) as without_evidence,
        unlabelled.points as unlabelled_points,
        channels.channel is not null as channel_known,
        coalesce(channels.automated_send, false) as channel_automated,
        jurisdictions.rules as jurisdiction_rules,
        suppressions.in_effect as suppressions_in_effect,
        suppressions.latest_on as latest_suppression_on,
        coalesce(drafts.drafts, 0) as drafts,
        coalesce(drafts.passing_lint, 0) as passing_lint,
        coalesce(drafts.unapproved_claims, 0) as unapproved_claims,
        coalesce(drafts.not_one_cta, 0) as not_one_cta,
        coalesce(steps.steps, 0) as steps,
        stop_events.stops,
        reply_actions.classes as reply_classes,
        reply_actions.without_action,
        reply_actions.complaint_suppresses,
        reply_actions.unsubscribe_suppresses,
        crm_stages.stages as crm_stages,
        coalesce(next_actions.undated, 0) as undated_actions,
        monitor.status as monitor_status,
        funnel.campaign_id is not null as is_measured
    from campaigns
    left join offers on campaigns.offer_id = offers.offer_id
    left join buyer_roles on campaigns.offer_id = buyer_roles.offer_id
    left join source_review on campaigns.campaign_id = source_review.campaign_id
    left join eligible on campaigns.campaign_id = eligible.campaign_id
    left join channels on campaigns.channel = channels.channel
    left join drafts on campaigns.campaign_id = drafts.campaign_id
    left join steps on campaigns.sequence_id = steps.sequence_id
    left join next_actions on campaigns.campaign_id = next_actions.campaign_id
    left join monitor on campaigns.campaign_id = monitor.campaign_id
    left join funnel on campaigns.campaign_id = funnel.campaign_id
    left join authorities on campaigns.send_authority = authorities.send_authority
    cross join scoring
    cross join evidence_rules
    cross join unlabelled
    cross join jurisdictions
    cross join suppressions
    cross join stop_events
    cross join reply_actions
    cross join crm_stages
),

items as (
    select campaign_id, 1 as item_order, 'offer is defined' as item, has_offer as passed,
        case when has_offer then 'offer ' || offer_id else 'offer ' || offer_id || ' is not in config/offers.yml' end as reason
    from facts
    union all
    select campaign_id, 2, 'target buyer is defined', buyer_roles > 0, cast(buyer_roles as varchar) || ' buyer roles for the offer' from facts
    union all
    select campaign_id, 3, 'qualification is defined', factors > 0, cast(factors as varchar) || ' scoring factors with priority thresholds' from facts
    union all
    select campaign_id, 4, 'disqualification is defined', negative_factors > 0,
        cast(negative_factors as varchar) || ' negative factors, and the built-in disqualifiers (suppression, disqualified event, conflicting identity, no permitted channel)' from facts
    union all
    select campaign_id, 5, 'lead source is recorded', sources > 0, cast(sources as varchar) || ' registered sources feed the campaign' from facts
    union all
    select campaign_id, 6, 'source authority is reviewed', sources > 0 and unreviewed_sources = 0,
        case when unreviewed_sources = 0 then 'every source reviewed in the last 365 days'
            else 'not reviewed in the last 365 days: ' || unreviewed_list end from facts
    union all
    select campaign_id, 7, 'identity checks exist', true, 'identity resolution and statuses (Verified, Probable, Unverified, Duplicate, Conflicting) run daily' from facts
    union all
    select campaign_id, 8, 'prospect research method exists', evidence_rules > 0, cast(evidence_rules as varchar) || ' evidence rules (config/evidence.yml)' from facts
    union all
    select campaign_id, 9, 'personalisation evidence is stored', candidates > 0 and without_evidence = 0,
        cast(candidates as varchar) || ' candidates, ' || cast(without_evidence as varchar) || ' without a cited evidence point' from facts
    union all
    select campaign_id, 10, 'inference is labelled', unlabelled_points = 0, cast(unlabelled_points as varchar) || ' evidence points without a framework class' from facts
    union all
    select campaign_id, 11, 'permission is reviewed', jurisdiction_rules > 0 and channel_known,
        cast(jurisdiction_rules as varchar) || ' jurisdiction rules; channel ' || channel || case when channel_known then ' has a rule' else ' has no rule' end from facts
    union all
    select campaign_id, 12, 'suppression is working',
        suppressions_in_effect > 0 and {{ dbt.datediff('latest_suppression_on', as_of(), 'day') }} <= 90,
        cast(suppressions_in_effect as varchar) || ' suppressions in effect, the latest on ' || coalesce(cast(latest_suppression_on as varchar), 'never')
            || ' (must be within 90 days; the daily checks prove none reaches a candidate or the send queue)' from facts
    union all
    select campaign_id, 13, 'channel is appropriate',
        channel_known and (channel_automated or not authority_may_send),
        case when not channel_known then 'no rule for channel ' || channel
            when not channel_automated and authority_may_send
                then channel || ' is never sent automatically, but the authority is ' || send_authority
            else channel || ' with authority ' || send_authority end from facts
    union all
    select campaign_id, 14, 'message structure is approved', steps > 0 and passing_lint > 0,
        cast(steps as varchar) || ' templated steps; ' || cast(passing_lint as varchar) || ' of ' || cast(drafts as varchar)
            || ' current drafts pass the message lint' from facts
    union all
    select campaign_id, 15, 'claims are controlled', unapproved_claims = 0,
        cast(unapproved_claims as varchar) || ' approved messages with claim language outside the approved claims' from facts
    union all
    select campaign_id, 16, 'CTA is clear', not_one_cta = 0,
        cast(not_one_cta as varchar) || ' approved messages without exactly one CTA' from facts
    union all
    select campaign_id, 17, 'human review exists', coalesce(review_queue_size, daily_cap) > 0,
        'a review queue of ' || cast(coalesce(review_queue_size, daily_cap) as varchar) || ' drafts a day' from facts
    union all
    select campaign_id, 18, 'send authority is explicit', send_authority is not null, 'authority ' || send_authority from facts
    union all
    select campaign_id, 19, 'sequence steps are defined', steps > 0, cast(steps as varchar) || ' steps in ' || sequence_id from facts
    union all
    select campaign_id, 20, 'stop conditions exist', stops > 0, cast(stops as varchar) || ' stopping event types in the state machine' from facts
    union all
    select campaign_id, 21, 'reply classes exist', reply_classes >= 12, cast(reply_classes as varchar) || ' reply classes' from facts
    union all
    select campaign_id, 22, 'reply actions exist', without_action = 0, cast(without_action as varchar) || ' reply classes without an action' from facts
    union all
    select campaign_id, 23, 'CRM stages exist', crm_stages > 0, cast(crm_stages as varchar) || ' CRM stages' from facts
    union all
    select campaign_id, 24, 'owners exist', campaign_owner is not null, 'owner ' || coalesce(campaign_owner, 'missing') from facts
    union all
    select campaign_id, 25, 'next-action dates exist', undated_actions = 0, cast(undated_actions as varchar) || ' CRM rows with a next action but no date' from facts
    union all
    select campaign_id, 26, 'duplicate-send controls exist', true, 'communication ids claimed in send.claims (unique) before sending; unknown outcomes never resent' from facts
    union all
    select campaign_id, 27, 'deliverability monitoring exists', monitor_status is not null, 'monitor status ' || coalesce(monitor_status, 'missing') from facts
    union all
    select campaign_id, 28, 'complaint handling exists', complaint_suppresses = 1, 'a Complaint reply suppresses at once' from facts
    union all
    select campaign_id, 29, 'unsubscribe handling exists',
        unsubscribe_suppresses = 1 and (channel <> 'email' or sender_unsubscribe_email is not null or sender_unsubscribe_url is not null),
        case when channel = 'email' and sender_unsubscribe_email is null and sender_unsubscribe_url is null
            then 'no unsubscribe mailbox or URL for the sender (List-Unsubscribe needs one)'
            else 'an Unsubscribe reply suppresses at once' || case when channel = 'email' then '; List-Unsubscribe set' else '' end end
        from facts
    union all
    select campaign_id, 30, 'calendar confirmation exists where used', true, 'a booking counts only with a calendar_confirmed event' from facts
    union all
    select campaign_id, 31, 'measurement exists', is_measured, case when is_measured then 'funnel marts built' else 'no funnel row' end from facts
    union all
    select campaign_id, 32, 'pilot size is controlled', pilot_size > 0, 'pilot of ' || cast(pilot_size as varchar) || ' sends' from facts
    union all
    select campaign_id, 33, 'scaling conditions are defined',
        pilot_max_bounce_rate is not null and pilot_max_complaint_rate is not null and pilot_min_positive_reply_rate is not null,
        'the pilot gate thresholds in config/campaigns.yml' from facts
    union all
    select campaign_id, 34, 'third-party sources carry a privacy notice', sources_without_notice = 0,
        case
            when sources_without_notice > 0
                then 'no Art. 14 notice (sources.yml notice:) for third-party source(s) ' || without_notice_list
            when third_party_sources = 0 then 'no third-party sources: no Art. 14 notice needed'
            else 'the first message to a person from a third-party source carries its notice'
        end from facts
),

final as (
    select items.*, {{ as_of() }} as as_of
    from items
)

select * from final
