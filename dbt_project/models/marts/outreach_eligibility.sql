{{ config(tags=['after_drafting']) }}
-- One row per prospect x campaign: how far the pair got towards a draft on the run date
-- and, when it got none, the first reason in words. The checks run in the order drafting
-- applies them (int_campaign_eligibility, then the sequence, then the drafting asset):
-- audience, identity, suppression (global, then the campaign's client), permission on
-- the campaign's channel, qualification, safe evidence, the campaign's send authority,
-- the sequence state, the draft and its lint. `outreach explain EMAIL` prints these rows.
with prospects as (
    select * from {{ ref('int_prospects_resolved') }}
),

campaigns as (
    select * from {{ ref('stg_config__campaigns') }}
),

in_audience as (
    select * from {{ ref('int_campaign_audience') }}
),

global_suppressions as (
    select * from {{ ref('int_prospects_suppressed') }}
    where scope = 'global'
),

client_suppressions as (
    select * from {{ ref('int_prospects_suppressed') }}
    where scope = 'client'
),

permitted as (
    select * from {{ ref('int_prospect_channels_permitted') }}
),

qualified as (
    select * from {{ ref('int_prospect_offers_qualified') }}
),

eligible as (
    select * from {{ ref('int_campaign_eligibility') }}
),

states as (
    select * from {{ ref('int_sequence_states_before_drafting') }}
),

drafts as (
    select
        prospect_id,
        campaign_id,
        min(communication_id) as communication_id,
        bool_and(lint_passed) as lint_passed,
        min(lint_failures) as lint_failures
    from {{ ref('stg_drafting__drafts') }}
    where step <> 0  -- a response to a reply is not the pair's outreach
    group by prospect_id, campaign_id
),

pairs as (
    select
        prospects.prospect_id,
        prospects.email,
        campaigns.campaign_id,
        campaigns.client_id,
        campaigns.channel,
        campaigns.send_authority,
        in_audience.prospect_id is not null as is_in_audience,
        prospects.identity_status,
        global_suppressions.prospect_id is not null as is_suppressed,
        global_suppressions.suppression_reason,
        global_suppressions.suppression_ref,
        client_suppressions.suppression_reason as client_suppression_reason,
        client_suppressions.suppression_ref as client_suppression_ref,
        coalesce(permitted.is_permitted, false) as is_permitted,
        permitted.blocked_reason as permission_blocked_reason,
        permitted.lawful_basis,
        qualified.priority,
        qualified.priority_reasons,
        prospects.safe_evidence_count,
        campaigns.send_authority in {{ send_authorities_that('may_draft') }} as authority_may_draft,
        eligible.prospect_id is not null as is_eligible,
        states.state as sequence_state,
        coalesce(states.is_open_for_drafting, false) as is_open_for_drafting,
        drafts.communication_id,
        drafts.lint_passed,
        drafts.lint_failures
    from prospects
    cross join campaigns
    left join in_audience
        on prospects.prospect_id = in_audience.prospect_id and campaigns.campaign_id = in_audience.campaign_id
    left join global_suppressions on prospects.prospect_id = global_suppressions.prospect_id
    left join client_suppressions
        on
            prospects.prospect_id = client_suppressions.prospect_id
            and campaigns.client_id = client_suppressions.scope_value
    left join permitted
        on prospects.prospect_id = permitted.prospect_id and campaigns.channel = permitted.channel
    left join qualified
        on prospects.prospect_id = qualified.prospect_id and campaigns.offer_id = qualified.offer_id
    left join eligible
        on prospects.prospect_id = eligible.prospect_id and campaigns.campaign_id = eligible.campaign_id
    left join states
        on prospects.prospect_id = states.prospect_id and campaigns.campaign_id = states.campaign_id
    left join drafts
        on prospects.prospect_id = drafts.prospect_id and campaigns.campaign_id = drafts.campaign_id
),

judged as (
    select
        *,
        case
            when not is_in_audience then 'not in the campaign''s audience (its country or source filter)'
            when identity_status not in ('Verified', 'Probable')
                then 'identity ' || coalesce(identity_status, 'unknown') || ': a human must confirm who this is'
            when is_suppressed
                then
                    'suppressed: ' || coalesce(suppression_reason, 'no reason given')
                    || coalesce(' (' || suppression_ref || ')', '')
            when client_suppression_reason is not null
                then
                    'suppressed for client ' || client_id || ': ' || client_suppression_reason
                    || coalesce(' (' || client_suppression_ref || ')', '')
            when not is_permitted
                then
                    'permission blocked on ' || channel || ': '
                    || coalesce(permission_blocked_reason, 'no permission rule for this prospect')
            when coalesce(priority, 'Not Qualified') not in ('Priority One', 'Priority Two')
                then
                    'not qualified (' || coalesce(priority, 'no score') || ')'
                    || coalesce(': ' || priority_reasons, '')
            when safe_evidence_count = 0 then 'no safe evidence to cite'
            when not authority_may_draft then 'the campaign''s send authority (' || send_authority || ') does not allow drafting'
            when not is_eligible then 'not eligible (a rule this explanation does not know: report it)'
            when not is_open_for_drafting
                then 'sequence ' || coalesce(sequence_state, 'not started') || ': no draft is due'
            when communication_id is null
                then
                    'over the campaign''s daily draft cap: eligible and due, drafted on a later run '
                    || '(config/campaigns.yml daily_cap or review_queue_size)'
            when not lint_passed then 'drafted; the message lint failed: ' || coalesce(lint_failures, '')
        end as blocking_reason
    from pairs
),

final as (
    select
        prospect_id,
        email,
        campaign_id,
        channel,
        case
            when not is_in_audience then 'Discovered'
            when identity_status not in ('Verified', 'Probable') then 'In Audience'
            when is_suppressed or client_suppression_reason is not null then 'Identity Resolved'
            when not is_permitted then 'Not Suppressed'
            when coalesce(priority, 'Not Qualified') not in ('Priority One', 'Priority Two') then 'Permitted'
            when not is_eligible then 'Qualified'
            when not is_open_for_drafting then 'Eligible'
            when communication_id is null then 'Due For Drafting'
            when not lint_passed then 'Drafted'
            else 'Ready For Review'
        end as stage_reached,
        blocking_reason is null as is_drafted_for_review,
        blocking_reason,
        identity_status,
        lawful_basis,
        priority,
        sequence_state,
        communication_id,
        {{ as_of() }} as as_of
    from judged
)

select * from final
