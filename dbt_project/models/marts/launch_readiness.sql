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
    select
        offer_id,
        count(*) as roles
    from {{ ref('stg_config__offer_buyer_roles') }}
    group by offer_id
),

scoring as (
    select
        count(*) as factors,
        sum(case when points < 0 then 1 else 0 end) as negative_factors
    from {{ ref('stg_config__scoring_rules') }}
),

audience_sources as (
    select
        campaign_id,
        value as source_id
    from {{ ref('stg_config__campaign_audience') }}
    where dimension = 'source'
),

sources as (
    select * from {{ ref('stg_config__lead_sources') }}
),

-- the sources a campaign draws on: its audience sources, or every registered source
campaign_sources as (
    select
        sources.*,
        campaigns.campaign_id
    from campaigns
    inner join sources
        on
            sources.source_id in (
                select audience_sources.source_id from audience_sources
                where audience_sources.campaign_id = campaigns.campaign_id
            )
            or not exists (
                select 1 from audience_sources
                where audience_sources.campaign_id = campaigns.campaign_id
            )
),

source_review as (
    select
        campaign_id,
        count(*) as sources,
        sum(
            case
                when
                    reviewed_on is null
                    or {{ dbt.datediff('reviewed_on', as_of(), 'day') }} > 365
                    then 1 else
                    0
            end
        )
            as unreviewed,
        {{ dbt.listagg("case when reviewed_on is null or " ~ dbt.datediff('reviewed_on', as_of(), 'day') ~ " > 365 then source_id end", "', '", "order by source_id") }}
            as unreviewed_sources,
        sum(case when is_third_party then 1 else 0 end) as third_party,
        sum(case when is_third_party and notice is null then 1 else 0 end) as without_notice,
        {{ dbt.listagg("case when is_third_party and notice is null then source_id end", "', '", "order by source_id") }}
            as without_notice_list
    from campaign_sources
    group by campaign_id
),

evidence_rules as (
    select count(*) as rules from {{ ref('stg_config__evidence_rules') }}
),

eligible as (
    select
        campaign_id,
        count(*) as candidates,
        sum(case when evidence_id is null then 1 else 0 end) as without_evidence
    from {{ ref('int_campaign_eligibility') }}
    group by campaign_id
),

unlabelled as (
    select count(*) as points
    from {{ ref('prospect_evidence') }} as evidence
    where
        evidence.evidence_class is null
        or evidence.evidence_class not in (select classes.evidence_class from {{ ref('evidence_classes') }} as classes)
),

channels as (
    select * from {{ ref('stg_config__channel_rules') }}
),

jurisdictions as (
    select count(*) as rules from {{ ref('stg_config__jurisdiction_rules') }}
),

-- the suppression door, proven by what came through it: every address, domain or number
-- in effect (a new team proves it with a test row for an address that is nobody's)
suppressions as (
    select
        (select count(*) from {{ ref('int_suppressions_current') }}) as in_effect,
        (select max(cast(ingested_on as date)) from {{ ref('stg_raw__suppressions') }}) as latest_on
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
    select
        sequence_id,
        count(*) as steps
    from {{ ref('stg_config__sequence_steps') }}
    group by sequence_id
),

stop_events as (
    select count(*) as stops from {{ ref('sequence_event_types') }}
    where stops_sequence
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
    select
        campaign_id,
        sum(case when next_action is not null and next_action_date is null then 1 else 0 end) as undated
    from {{ ref('crm_pipeline') }}
    group by campaign_id
),

monitor as (
    select
        campaign_id,
        status
    from {{ ref('deliverability_monitor') }}
),

funnel as (
    select campaign_id from {{ ref('funnel_campaign') }}
),

authorities as (
    select
        send_authority,
        may_send
    from {{ ref('send_authorities') }}
),

facts as (
    select
        campaigns.*,
        scoring.factors,
        scoring.negative_factors,
        source_review.unreviewed_sources as unreviewed_list,
        source_review.without_notice_list,
        evidence_rules.rules as evidence_rules,
        unlabelled.points as unlabelled_points,
        jurisdictions.rules as jurisdiction_rules,
        suppressions.in_effect as suppressions_in_effect,
        suppressions.latest_on as latest_suppression_on,
        stop_events.stops,
        reply_actions.classes as reply_classes,
        reply_actions.without_action,
        reply_actions.complaint_suppresses,
        reply_actions.unsubscribe_suppresses,
        crm_stages.stages as crm_stages,
        monitor.status as monitor_status,
        coalesce(authorities.may_send, false) as authority_may_send,
        offers.offer_id is not null as has_offer,
        coalesce(buyer_roles.roles, 0) as buyer_roles,
        coalesce(source_review.sources, 0) as sources,
        coalesce(source_review.unreviewed, 0) as unreviewed_sources,
        coalesce(source_review.third_party, 0) as third_party_sources,
        coalesce(source_review.without_notice, 0) as sources_without_notice,
        coalesce(eligible.candidates, 0) as candidates,
        coalesce(eligible.without_evidence, 0) as without_evidence,
        channels.channel is not null as channel_known,
        coalesce(channels.automated_send, false) as channel_automated,
        coalesce(drafts.drafts, 0) as drafts,
        coalesce(drafts.passing_lint, 0) as passing_lint,
        coalesce(drafts.unapproved_claims, 0) as unapproved_claims,
        coalesce(drafts.not_one_cta, 0) as not_one_cta,
        coalesce(steps.steps, 0) as steps,
        coalesce(next_actions.undated, 0) as undated_actions,
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
    select
        campaign_id,
        1 as item_order,
        'offer is defined' as item,
        has_offer as passed,
        case when has_offer then 'offer ' || offer_id else 'offer ' || offer_id || ' is not in config/offers.yml' end as reason
    from facts
    union all
    select
        campaign_id,
        2 as item_order,
        'target buyer is defined' as item,
        buyer_roles > 0 as passed,
        cast(buyer_roles as varchar) || ' buyer roles for the offer' as reason
    from facts
    union all
    select
        campaign_id,
        3 as item_order,
        'qualification is defined' as item,
        factors > 0 as passed,
        cast(factors as varchar) || ' scoring factors with priority thresholds' as reason
    from facts
    union all
    select
        campaign_id,
        4 as item_order,
        'disqualification is defined' as item,
        negative_factors > 0 as passed,
        cast(negative_factors as varchar)
        || ' negative factors, and the built-in disqualifiers (suppression, disqualified event, conflicting identity, no permitted channel)' as reason
    from facts
    union all
    select
        campaign_id,
        5 as item_order,
        'lead source is recorded' as item,
        sources > 0 as passed,
        cast(sources as varchar) || ' registered sources feed the campaign' as reason
    from facts
    union all
    select
        campaign_id,
        6 as item_order,
        'source authority is reviewed' as item,
        sources > 0 and unreviewed_sources = 0 as passed,
        case
            when unreviewed_sources = 0 then 'every source reviewed in the last 365 days'
            else 'not reviewed in the last 365 days: ' || unreviewed_list
        end as reason
    from facts
    union all
    select
        campaign_id,
        7 as item_order,
        'identity checks exist' as item,
        true as passed,
        'identity resolution and statuses (Verified, Probable, Unverified, Duplicate, Conflicting) run daily' as reason
    from facts
    union all
    select
        campaign_id,
        8 as item_order,
        'prospect research method exists' as item,
        evidence_rules > 0 as passed,
        cast(evidence_rules as varchar) || ' evidence rules (config/evidence.yml)' as reason
    from facts
    union all
    select
        campaign_id,
        9 as item_order,
        'personalisation evidence is stored' as item,
        candidates > 0 and without_evidence = 0 as passed,
        cast(candidates as varchar) || ' candidates, ' || cast(without_evidence as varchar) || ' without a cited evidence point' as reason
    from facts
    union all
    select
        campaign_id,
        10 as item_order,
        'inference is labelled' as item,
        unlabelled_points = 0 as passed,
        cast(unlabelled_points as varchar) || ' evidence points without a framework class' as reason
    from facts
    union all
    select
        campaign_id,
        11 as item_order,
        'permission is reviewed' as item,
        jurisdiction_rules > 0 and channel_known as passed,
        cast(jurisdiction_rules as varchar)
        || ' jurisdiction rules; channel '
        || channel
        || case when channel_known then ' has a rule' else ' has no rule' end as reason
    from facts
    union all
    select
        campaign_id,
        12 as item_order,
        'suppression is working' as item,
        suppressions_in_effect > 0
        and {{ dbt.datediff('latest_suppression_on', as_of(), 'day') }} <= 90 as passed,
        cast(suppressions_in_effect as varchar)
        || ' suppressions in effect, the latest received on '
        || coalesce(cast(latest_suppression_on as varchar), 'never')
        || ' (must be within 90 days; the daily checks prove none reaches a candidate or the send queue).'
        || case
            when suppressions_in_effect = 0 or {{ dbt.datediff('latest_suppression_on', as_of(), 'day') }} > 90
                then
                    ' To prove the door, land landing/suppressions/door_test.csv with the lines'
                    || ' `email,reason` and `suppression-test@example.invalid,do_not_contact` and run again.'
            else ''
        end as reason
    from facts
    union all
    select
        campaign_id,
        13 as item_order,
        'channel is appropriate' as item,
        channel_known and (channel_automated or not authority_may_send) as passed,
        case
            when not channel_known then 'no rule for channel ' || channel
            when not channel_automated and authority_may_send
                then channel || ' is never sent automatically, but the authority is ' || send_authority
            else channel || ' with authority ' || send_authority
        end as reason
    from facts
    union all
    select
        campaign_id,
        14 as item_order,
        'message structure is approved' as item,
        steps > 0 and passing_lint > 0 as passed,
        cast(steps as varchar) || ' templated steps; ' || cast(passing_lint as varchar) || ' of ' || cast(drafts as varchar)
        || ' current drafts pass the message lint' as reason
    from facts
    union all
    select
        campaign_id,
        15 as item_order,
        'claims are controlled' as item,
        unapproved_claims = 0 as passed,
        cast(unapproved_claims as varchar) || ' approved messages with claim language outside the approved claims' as reason
    from facts
    union all
    select
        campaign_id,
        16 as item_order,
        'CTA is clear' as item,
        not_one_cta = 0 as passed,
        cast(not_one_cta as varchar) || ' approved messages without exactly one CTA' as reason
    from facts
    union all
    select
        campaign_id,
        17 as item_order,
        'human review exists' as item,
        coalesce(review_queue_size, daily_cap) > 0 as passed,
        'a review queue of ' || cast(coalesce(review_queue_size, daily_cap) as varchar) || ' drafts a day' as reason
    from facts
    union all
    select
        campaign_id,
        18 as item_order,
        'send authority is explicit' as item,
        send_authority is not null as passed,
        'authority ' || send_authority as reason
    from facts
    union all
    select
        campaign_id,
        19 as item_order,
        'sequence steps are defined' as item,
        steps > 0 as passed,
        cast(steps as varchar) || ' steps in ' || sequence_id as reason
    from facts
    union all
    select
        campaign_id,
        20 as item_order,
        'stop conditions exist' as item,
        stops > 0 as passed,
        cast(stops as varchar) || ' stopping event types in the state machine' as reason
    from facts
    union all
    select
        campaign_id,
        21 as item_order,
        'reply classes exist' as item,
        reply_classes >= 12 as passed,
        cast(reply_classes as varchar) || ' reply classes' as reason
    from facts
    union all
    select
        campaign_id,
        22 as item_order,
        'reply actions exist' as item,
        without_action = 0 as passed,
        cast(without_action as varchar) || ' reply classes without an action' as reason
    from facts
    union all
    select
        campaign_id,
        23 as item_order,
        'CRM stages exist' as item,
        crm_stages > 0 as passed,
        cast(crm_stages as varchar) || ' CRM stages' as reason
    from facts
    union all
    select
        campaign_id,
        24 as item_order,
        'owners exist' as item,
        campaign_owner is not null as passed,
        'owner ' || coalesce(campaign_owner, 'missing') as reason
    from facts
    union all
    select
        campaign_id,
        25 as item_order,
        'next-action dates exist' as item,
        undated_actions = 0 as passed,
        cast(undated_actions as varchar) || ' CRM rows with a next action but no date' as reason
    from facts
    union all
    select
        campaign_id,
        26 as item_order,
        'duplicate-send controls exist' as item,
        true as passed,
        'communication ids claimed in send.claims (unique) before sending; unknown outcomes never resent' as reason
    from facts
    union all
    select
        campaign_id,
        27 as item_order,
        'deliverability monitoring exists' as item,
        monitor_status is not null as passed,
        'monitor status ' || coalesce(monitor_status, 'missing') as reason
    from facts
    union all
    select
        campaign_id,
        28 as item_order,
        'complaint handling exists' as item,
        complaint_suppresses = 1 as passed,
        'a Complaint reply suppresses at once' as reason
    from facts
    union all
    select
        campaign_id,
        29 as item_order,
        'unsubscribe handling exists' as item,
        unsubscribe_suppresses = 1 and (channel <> 'email' or sender_unsubscribe_email is not null or sender_unsubscribe_url is not null) as passed,
        case
            when channel = 'email' and sender_unsubscribe_email is null and sender_unsubscribe_url is null
                then 'no unsubscribe mailbox or URL for the sender (List-Unsubscribe needs one)'
            else 'an Unsubscribe reply suppresses at once' || case when channel = 'email' then '; List-Unsubscribe set' else '' end
        end as reason
    from facts
    union all
    select
        campaign_id,
        30 as item_order,
        'calendar confirmation exists where used' as item,
        true as passed,
        'a booking counts only with a calendar_confirmed event' as reason
    from facts
    union all
    select
        campaign_id,
        31 as item_order,
        'measurement exists' as item,
        is_measured as passed,
        case when is_measured then 'funnel marts built' else 'no funnel row' end as reason
    from facts
    union all
    select
        campaign_id,
        32 as item_order,
        'pilot size is controlled' as item,
        pilot_size > 0 as passed,
        'pilot of ' || cast(pilot_size as varchar) || ' sends' as reason
    from facts
    union all
    select
        campaign_id,
        33 as item_order,
        'scaling conditions are defined' as item,
        pilot_max_bounce_rate is not null and pilot_max_complaint_rate is not null and pilot_min_positive_reply_rate is not null as passed,
        'the pilot gate thresholds in config/campaigns.yml' as reason
    from facts
    union all
    select
        campaign_id,
        34 as item_order,
        'third-party sources carry a privacy notice' as item,
        sources_without_notice = 0 as passed,
        case
            when sources_without_notice > 0
                then 'no Art. 14 notice (sources.yml notice:) for third-party source(s) ' || without_notice_list
            when third_party_sources = 0 then 'no third-party sources: no Art. 14 notice needed'
            else 'the first message to a person from a third-party source carries its notice'
        end as reason
    from facts
),

final as (
    select
        items.*,
        {{ as_of() }} as as_of
    from items
)

select * from final
