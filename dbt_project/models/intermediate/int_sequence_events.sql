{{ config(materialized='view') }}
-- The event log: one row per fact that moves a prospect, from every system that
-- records one, each with the reference of its evidence. Drafts (draft history),
-- reviewer decisions, send records (and claims whose outcome is unknown), inbound
-- mail by class, suppressions in effect, and calendar, proposal and outcome events
-- from landing files. Nothing after the run date.
--
-- A view: the state models built before drafting and after it read the same log at
-- two moments of the same run (before and after the day's drafts).
--
-- applies_to: 'campaign' facts move one prospect x campaign sequence (drafts,
-- decisions, sends, events naming a campaign); 'prospect' facts move every campaign
-- of the prospect (a reply, a bounce, a booking: one state across channels), within
-- the suppression's scope for suppressions.
-- response drafts (step 0) answer a reply beside the sequence, which the reply already
-- stopped: their drafts, decisions, claims and sends are not sequence facts
with responses as (
    select distinct communication_id from {{ ref('stg_drafting__draft_history') }}
    where step = 0
),

drafts as (
    select * from {{ ref('stg_drafting__draft_history') }}
    where step <> 0
),

decisions as (
    select * from {{ ref('stg_review__decisions') }}
    where communication_id not in (select responses.communication_id from responses)
),

campaigns as (
    select * from {{ ref('stg_config__campaigns') }}
),

sequence_steps as (
    select * from {{ ref('stg_config__sequence_steps') }}
),

records as (
    select * from {{ ref('stg_send__records') }}
    where communication_id not in (select responses.communication_id from responses)
),

claims as (
    select * from {{ ref('stg_send__claims') }}
    where communication_id not in (select responses.communication_id from responses)
),

inbound as (
    select * from {{ ref('stg_inbound__messages') }}
),

landing_events as (
    select * from {{ ref('stg_raw__events') }}
    where cast(occurred_at as date) <= {{ as_of() }}
),

suppressed as (
    select * from {{ ref('int_prospects_suppressed') }}
),

lead_records as (
    select * from {{ ref('int_lead_records_resolved') }}
),

-- the communication a thing refers to: prospect, campaign and step
communications as (
    select
        communication_id,
        min(prospect_id) as prospect_id,
        min(campaign_id) as campaign_id,
        min(step) as step
    from drafts
    group by communication_id
),

draft_events as (
    select
        communication_id,
        prospect_id,
        campaign_id,
        step,
        'drafted' as event_type,
        cast(drafted_on as timestamp) as event_at,
        'drafting.draft_history/' || communication_id || '/' || content_hash as evidence_ref,
        communication_id || '/' || content_hash as evidence_key,
        'version ' || substr(content_hash, 1, 12) as detail,
        cast(null as date) as due_on,
        cast(null as varchar) as reply_class,
        cast(null as double precision) as value
    from drafts
    where drafted_on <= {{ as_of() }}
),

decision_events as (
    select
        decisions.communication_id,
        decisions.prospect_id,
        decisions.campaign_id,
        communications.step,
        case decisions.decision
            when 'Approve' then 'approved'
            when 'Edit And Approve' then 'approved'
            when 'Reject' then 'draft_rejected'
            when 'Request More Research' then 'research_requested'
            when 'Park' then 'parked'
            when 'Route To Sales Owner' then 'routed_to_owner'
            when 'Change Channel' then 'channel_change_requested'
            else 'change_requested'
        end as event_type,
        decisions.decided_at as event_at,
        'review.decisions/' || decisions.decision_id as evidence_ref,
        decisions.decision_id as evidence_key,
        decisions.decision || ' by ' || decisions.reviewer as detail,
        case
            when decisions.decision = 'Park'
                then cast({{ dbt.dateadd('day', 'campaigns.park_review_days', 'cast(decisions.decided_at as date)') }} as date)
            when decisions.decision in ('Approve', 'Edit And Approve') then decisions.expires_on
        end as due_on,
        cast(null as varchar) as reply_class,
        cast(null as double precision) as value
    from decisions
    inner join campaigns on decisions.campaign_id = campaigns.campaign_id
    left join communications on decisions.communication_id = communications.communication_id
    -- a Suppress decision lands a suppression event: that event is the fact
    where
        decisions.decision <> 'Suppress'
        and cast(decisions.decided_at as date) <= {{ as_of() }}
),

send_events as (
    select
        records.communication_id,
        records.prospect_id,
        records.campaign_id,
        records.step,
        case
            when records.sent_status = 'sent' and sequence_steps.is_final_step then 'closeout_sent'
            when records.sent_status = 'sent' then 'sent'
            else 'send_failed'
        end as event_type,
        coalesce(records.sent_at, records.recorded_at) as event_at,
        'send.records/' || records.record_id as evidence_ref,
        records.record_id as evidence_key,
        coalesce(records.provider_result, records.sent_status) as detail,
        cast(null as date) as due_on,
        cast(null as varchar) as reply_class,
        cast(null as double precision) as value
    from records
    inner join campaigns on records.campaign_id = campaigns.campaign_id
    left join sequence_steps
        on campaigns.sequence_id = sequence_steps.sequence_id and records.step = sequence_steps.step
    where
        records.sent_status in ('sent', 'permanent_failure')
        and cast(coalesce(records.sent_at, records.recorded_at) as date) <= {{ as_of() }}
),

-- claimed, and no record of any outcome: never resent automatically, a human looks
unknown_outcomes as (
    select
        claims.communication_id,
        claims.prospect_id,
        claims.campaign_id,
        communications.step,
        'send_outcome_unknown' as event_type,
        claims.claimed_at as event_at,
        'send.claims/' || claims.communication_id as evidence_ref,
        claims.communication_id as evidence_key,
        'claimed by run ' || claims.run_id || ' with no outcome recorded' as detail,
        cast(null as date) as due_on,
        cast(null as varchar) as reply_class,
        cast(null as double precision) as value
    from claims
    left join communications on claims.communication_id = communications.communication_id
    where
        not exists (
            select 1 from records
            where records.communication_id = claims.communication_id
        )
        and cast(claims.claimed_at as date) <= {{ as_of() }}
),

-- a human's correction of a reply's class wins over the classifier's
corrections as (
    select
        evidence_ref as message_id,
        detail as corrected_class,
        row_number() over (partition by evidence_ref order by occurred_at desc, event_record_id desc) as correction_rank
    from landing_events
    where event_type = 'reply_reclassified'
),

inbound_events as (
    select
        inbound.communication_id,
        inbound.prospect_id,
        communications.campaign_id,
        communications.step,
        case
            when coalesce(corrections.corrected_class, inbound.reply_class) = 'Bounce'
                then 'bounce_' || coalesce(inbound.bounce_type, 'other')
            else 'reply_' || replace(lower(coalesce(corrections.corrected_class, inbound.reply_class)), ' ', '_')
        end as event_type,
        -- when it arrived (our server's Received stamp, else its Date header); a message
        -- with neither is placed at the end of the day it was read
        coalesce(
            inbound.received_at,
            {{ dbt.dateadd('second', 86399, 'cast(inbound.received_on as timestamp)') }}
        ) as event_at,
        'inbound.messages/' || coalesce(inbound.message_id, inbound.content_hash) as evidence_ref,
        inbound.content_hash as evidence_key,
        coalesce(corrections.corrected_class, inbound.reply_class)
        || case when corrections.corrected_class is not null then ' (corrected from ' || inbound.reply_class || ')' else '' end
            as detail,
        coalesce(inbound.return_on, inbound.review_on) as due_on,
        coalesce(corrections.corrected_class, inbound.reply_class) as reply_class,
        cast(null as double precision) as value
    from inbound
    left join communications on inbound.communication_id = communications.communication_id
    left join corrections on inbound.message_id = corrections.message_id and corrections.correction_rank = 1
    where
        inbound.prospect_id is not null
        and inbound.received_on <= {{ as_of() }}
),

-- landing events name a communication, or an address that identifies the prospect
email_prospects as (
    select distinct
        email_address_key,
        prospect_id
    from lead_records
    where email_address_key is not null
),

crm_events as (
    select
        landing_events.communication_id,
        coalesce(communications.prospect_id, email_prospects.prospect_id) as prospect_id,
        coalesce(landing_events.campaign_id, communications.campaign_id) as campaign_id,
        communications.step,
        landing_events.event_type,
        landing_events.occurred_at as event_at,
        'raw.events/' || landing_events.event_ref || ' (' || landing_events.evidence_ref || ')' as evidence_ref,
        landing_events.event_record_id as evidence_key,
        landing_events.detail,
        cast(null as date) as due_on,
        cast(null as varchar) as reply_class,
        landing_events.value
    from landing_events
    left join communications on landing_events.communication_id = communications.communication_id
    left join email_prospects on landing_events.email_key = email_prospects.email_address_key
    where
        landing_events.event_type <> 'reply_reclassified'
        and coalesce(communications.prospect_id, email_prospects.prospect_id) is not null
),

suppression_events as (
    select
        cast(null as varchar) as communication_id,
        prospect_id,
        cast(null as varchar) as campaign_id,
        cast(null as integer) as step,
        'suppressed' as event_type,
        suppressed_at as event_at,
        suppression_ref as evidence_key,
        cast(null as date) as due_on,
        cast(null as varchar) as reply_class,
        cast(null as double precision) as value,
        scope,
        scope_value,
        'suppressions/' || suppression_ref as evidence_ref,
        suppression_reason || ' (' || scope || case when scope_value <> '' then ': ' || scope_value else '' end || ')' as detail
    from suppressed
),

unioned as (
    select
        *,
        'drafting' as source_system,
        'campaign' as applies_to,
        'global' as scope,
        '' as scope_value
    from draft_events
    union all
    select
        *,
        'review' as source_system,
        'campaign' as applies_to,
        'global' as scope,
        '' as scope_value
    from decision_events
    union all
    select
        *,
        'send' as source_system,
        'campaign' as applies_to,
        'global' as scope,
        '' as scope_value
    from send_events
    union all
    select
        *,
        'send' as source_system,
        'campaign' as applies_to,
        'global' as scope,
        '' as scope_value
    from unknown_outcomes
    union all
    select
        *,
        'inbound' as source_system,
        'prospect' as applies_to,
        'global' as scope,
        '' as scope_value
    from inbound_events
    union all
    select
        *,
        'crm' as source_system,
        case when campaign_id is null then 'prospect' else 'campaign' end as applies_to,
        'global' as scope,
        '' as scope_value
    from crm_events
    union all
    select
        communication_id,
        prospect_id,
        campaign_id,
        step,
        event_type,
        event_at,
        evidence_ref,
        evidence_key,
        detail,
        due_on,
        reply_class,
        value,
        'suppression' as source_system,
        'prospect' as applies_to,
        scope,
        scope_value
    from suppression_events
),

final as (
    select
        {{ dbt.hash("source_system || '|' || evidence_key || '|' || event_type || '|' || prospect_id || '|' || scope || '|' || scope_value") }}
            as event_id,
        prospect_id,
        campaign_id,
        communication_id,
        step,
        event_type,
        event_at,
        cast(event_at as date) as event_on,
        source_system,
        applies_to,
        scope,
        scope_value,
        evidence_ref,
        evidence_key,
        detail,
        due_on,
        reply_class,
        value
    from unioned
)

select * from final
