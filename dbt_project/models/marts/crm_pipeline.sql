{{ config(tags=['after_drafting']) }}
-- One row per prospect x campaign with the framework's Required CRM Fields, the CRM
-- stage and the evidence behind it. The stage is the one the latest evidenced event
-- put the prospect in (seed sequence_event_types.crm_stage); a stage before sending is
-- never shown again once something was sent; a send ages into Waiting For Reply and
-- Follow-Up Due by time. Never typed in: a check fails on a stage whose evidence does
-- not exist in its source (a send record with the provider's id, an inbound message,
-- a calendar or CRM event, a decision, a suppression, the qualification).
with states as (
    select * from {{ ref('sequence_states') }}
),

walk as (
    select * from {{ ref('int_sequence_walk') }}
),

event_types as (
    select * from {{ ref('sequence_event_types') }}
),

crm_stages as (
    select * from {{ ref('crm_stages') }}
),

pairs as (
    select * from {{ ref('int_sequence_pairs') }}
),

prospects as (
    select * from {{ ref('prospects') }}
),

qualified as (
    select * from {{ ref('int_prospect_offers_qualified') }}
),

permitted as (
    select * from {{ ref('int_prospect_channels_permitted') }}
),

eligible as (
    select * from {{ ref('int_campaign_eligibility') }}
),

suppressed as (
    select * from {{ ref('int_prospects_suppressed') }}
),

campaigns as (
    select * from {{ ref('stg_config__campaigns') }}
),

records as (
    select * from {{ ref('stg_send__records') }}
    where sent_status = 'sent'
),

reply_actions as (
    select * from {{ ref('reply_actions') }}
),

lead_records as (
    select
        prospect_id,
        min(lead_record_id) as lead_record_id
    from {{ ref('int_lead_records_resolved') }}
    group by prospect_id
),

first_sends as (
    select
        prospect_id,
        campaign_id,
        min(seq) as first_sent_seq,
        min(event_on) as first_sent_on
    from walk
    where event_type in ('sent', 'closeout_sent')
    group by prospect_id, campaign_id
),

staged as (
    select
        walk.prospect_id,
        walk.campaign_id,
        walk.seq,
        walk.event_on,
        walk.source_system,
        walk.evidence_ref,
        walk.evidence_key,
        event_types.crm_stage,
        row_number() over (partition by walk.prospect_id, walk.campaign_id order by walk.seq desc) as recency
    from walk
    inner join event_types on walk.event_type = event_types.event_type
    inner join crm_stages on event_types.crm_stage = crm_stages.crm_stage
    left join first_sends
        on walk.prospect_id = first_sends.prospect_id and walk.campaign_id = first_sends.campaign_id
    where
        walk.is_allowed
        and not (crm_stages.is_pre_send and walk.seq > coalesce(first_sends.first_sent_seq, walk.seq))
),

latest_stage as (
    select * from staged
    where recency = 1
),

last_sends as (
    select
        prospect_id,
        campaign_id,
        communication_id,
        sent_at,
        step,
        evidence_id,
        provider_message_id,
        row_number() over (partition by prospect_id, campaign_id order by sent_at desc, record_id desc) as recency
    from records
),

-- the latest proposal's record and its Proposal Follow-Up State (one home: the
-- intermediate model proposal follow-up drafting also reads)
latest_proposal as (
    select * from {{ ref('int_proposal_states') }}
),

values_given as (
    select
        prospect_id,
        campaign_id,
        max(value) as opportunity_value
    from walk
    where value is not null
    group by prospect_id, campaign_id
),

appointments as (
    select
        prospect_id,
        campaign_id,
        max(case when event_type = 'calendar_confirmed' then event_on end) as booked_on,
        max(case when event_type = 'meeting_held' then 1 when event_type = 'meeting_no_show' then 0 end) as showed
    from walk
    group by prospect_id, campaign_id
),

suppression_status as (
    select
        pairs.prospect_id,
        pairs.campaign_id,
        min(suppressed.suppression_reason || ' (' || suppressed.scope || ')') as suppression_status
    from pairs
    inner join suppressed
        on
            pairs.prospect_id = suppressed.prospect_id
            and {{ suppression_applies('suppressed.scope', 'suppressed.scope_value', 'pairs.channel', 'pairs.client_id') }}
    group by pairs.prospect_id, pairs.campaign_id
),

staged_now as (
    select
        states.*,
        case
            when latest_stage.crm_stage is null and states.is_eligible then 'Qualified For Draft'
            when latest_stage.crm_stage is null then 'Discovered'
            when
                latest_stage.crm_stage = 'Sent'
                and states.state in ('Follow-Up Due', 'Drafting', 'Researching', 'Waiting For Approval', 'Ready To Send')
                then 'Follow-Up Due'
            when latest_stage.crm_stage = 'Sent' and states.last_sent_on < {{ as_of() }} then 'Waiting For Reply'
            else latest_stage.crm_stage
        end as crm_stage,
        case
            when latest_stage.crm_stage is not null then latest_stage.source_system
            when states.is_eligible then 'qualification'
            else 'lead_record'
        end as stage_evidence_source,
        case
            when latest_stage.crm_stage is not null then latest_stage.evidence_ref
            when states.is_eligible then 'int_campaign_eligibility/' || states.prospect_id || '/' || states.campaign_id
            else 'raw.leads/' || lead_records.lead_record_id
        end as stage_evidence_ref,
        case
            when latest_stage.crm_stage is not null then latest_stage.evidence_key
            when states.is_eligible then eligible.evidence_id
            else lead_records.lead_record_id
        end as stage_evidence_key,
        latest_stage.event_on as stage_since,
        eligible.evidence_id as candidate_evidence_id
    from states
    left join latest_stage
        on states.prospect_id = latest_stage.prospect_id and states.campaign_id = latest_stage.campaign_id
    left join eligible on states.prospect_id = eligible.prospect_id and states.campaign_id = eligible.campaign_id
    left join lead_records on states.prospect_id = lead_records.prospect_id
),

final as (
    select
        staged_now.prospect_id,
        staged_now.campaign_id,
        prospects.company_name as company,
        trim(coalesce(prospects.first_name, '') || ' ' || coalesce(prospects.last_name, '')) as contact,
        prospects.role,
        prospects.source_id as source,
        campaigns.offer_id as offer,
        qualified.priority,
        prospects.permission_type || coalesce(' / ' || permitted.lawful_basis, '') as permission_context,
        coalesce(last_sends.evidence_id, staged_now.candidate_evidence_id) as personalisation_evidence,
        campaigns.channel,
        last_sends.communication_id as last_communication_id,
        last_sends.sent_at as last_communication_at,
        staged_now.last_reply_class as reply_class,
        campaigns.campaign_owner as owner,
        case
            when staged_now.state = 'Not Started' then 'draft step 1'
            when staged_now.state = 'Researching' then 'research the prospect, then decide'
            when staged_now.state = 'Drafting' then 'redraft step ' || cast(staged_now.current_step as varchar)
            when staged_now.state = 'Waiting For Approval' then 'review the draft of step ' || cast(staged_now.current_step as varchar)
            when staged_now.state = 'Ready To Send' then 'send step ' || cast(staged_now.current_step as varchar)
            when staged_now.state in ('Sent', 'Waiting') and staged_now.next_step is not null
                then 'wait, then draft step ' || cast(staged_now.next_step as varchar)
            when staged_now.state = 'Follow-Up Due' then 'draft follow-up step ' || cast(staged_now.next_step as varchar)
            when latest_proposal.latest_event_type in ('proposal_sent', 'proposal_viewed') then 'follow up the proposal'
            when latest_proposal.latest_event_type in ('proposal_question', 'proposal_revision_requested') then 'answer the proposal questions'
            when staged_now.state = 'Appointment Proposed' then 'confirm the appointment in the calendar'
            when staged_now.state = 'Booked' and appointments.showed = 1 then 'follow up the meeting'
            when staged_now.state = 'Booked' then 'prepare the meeting'
            when staged_now.state = 'Parked' then 'review the parked prospect'
            when staged_now.state in ('Reply Received', 'Human Review Required')
                then coalesce(reply_actions.next_action, 'human review: ' || staged_now.state_reason)
        end as next_action,
        case
            when staged_now.state in ('Sent', 'Waiting', 'Follow-Up Due', 'Parked') then staged_now.next_due_on
            when staged_now.state = 'Ready To Send' then staged_now.approval_expires_on
            when latest_proposal.latest_event_type in ('proposal_sent', 'proposal_viewed') then latest_proposal.follow_up_due_on
            when staged_now.state in ('Closed', 'Suppressed', 'Failed') then null
            else {{ as_of() }}
        end as next_action_date,
        staged_now.state as sequence_status,
        coalesce(suppression_status.suppression_status, 'not suppressed') as suppression_status,
        case
            when qualified.priority in ('Priority One', 'Priority Two') then 'qualified'
            when qualified.priority is null then 'not assessed'
            else 'not qualified: ' || qualified.priority
        end as qualification_status,
        values_given.opportunity_value,
        case
            when latest_proposal.latest_event_type = 'deal_won' then 'won'
            when latest_proposal.latest_event_type in ('deal_lost', 'proposal_declined') then 'lost'
        end as outcome,
        staged_now.crm_stage,
        staged_now.stage_evidence_source,
        staged_now.stage_evidence_ref,
        staged_now.stage_evidence_key,
        staged_now.stage_since,
        last_sends.provider_message_id as last_provider_message_id,
        -- framework Proposal Follow-Up States (int_proposal_states)
        latest_proposal.proposal_state,
        latest_proposal.proposal_version,
        latest_proposal.proposal_scope,
        latest_proposal.proposal_price,
        latest_proposal.proposal_owner,
        appointments.booked_on,
        -- framework: a booked appointment is not automatically a qualified opportunity
        appointments.booked_on is not null
        and qualified.priority in ('Priority One', 'Priority Two')
        and prospects.identity_status in ('Verified', 'Probable') as is_qualified_booking,
        case appointments.showed when 1 then true when 0 then false end as showed
    from staged_now
    inner join campaigns on staged_now.campaign_id = campaigns.campaign_id
    left join prospects on staged_now.prospect_id = prospects.prospect_id
    left join qualified on staged_now.prospect_id = qualified.prospect_id and campaigns.offer_id = qualified.offer_id
    left join permitted on staged_now.prospect_id = permitted.prospect_id and campaigns.channel = permitted.channel
    left join last_sends
        on
            staged_now.prospect_id = last_sends.prospect_id and staged_now.campaign_id = last_sends.campaign_id
            and last_sends.recency = 1
    left join latest_proposal
        on staged_now.prospect_id = latest_proposal.prospect_id and staged_now.campaign_id = latest_proposal.campaign_id
    left join values_given
        on staged_now.prospect_id = values_given.prospect_id and staged_now.campaign_id = values_given.campaign_id
    left join appointments
        on staged_now.prospect_id = appointments.prospect_id and staged_now.campaign_id = appointments.campaign_id
    left join suppression_status
        on staged_now.prospect_id = suppression_status.prospect_id and staged_now.campaign_id = suppression_status.campaign_id
    left join reply_actions
        on staged_now.last_reply_class = reply_actions.reply_class and reply_actions.bounce_type is null
)

select * from final
