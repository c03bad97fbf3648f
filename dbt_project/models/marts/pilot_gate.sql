{{ config(tags=['after_drafting']) }}
-- One row per campaign x check of the framework's Pilot Before Scale Rule, computed
-- from the funnel to date, with the figure, the threshold and pass or fail. A campaign
-- stays capped at its pilot size until every check passes (marts.pilot_gate_status;
-- the send job reads it). Volume is not increased because the workflow can send more.
with funnel as (
    select * from {{ ref('funnel_campaign') }}
),

campaigns as (
    select * from {{ ref('stg_config__campaigns') }}
),

measured as (
    select
        funnel.*,
        campaigns.pilot_size,
        campaigns.pilot_min_approval_rate,
        campaigns.pilot_max_edit_rate,
        campaigns.pilot_max_bounce_rate,
        campaigns.pilot_max_complaint_rate,
        campaigns.pilot_min_positive_reply_rate,
        campaigns.pilot_min_qualified_bookings,
        campaigns.pilot_max_review_wait_days
    from funnel
    inner join campaigns on funnel.campaign_id = campaigns.campaign_id
),

checks as (
    select
        campaign_id,
        1 as check_order,
        'pilot size reached' as check_name,
        cast(messages_sent as double precision) as figure,
        cast(pilot_size as double precision) as threshold,
        '>=' as comparison,
        messages_sent >= pilot_size as passed,
        cast(messages_sent as varchar) || ' of ' || cast(pilot_size as varchar) || ' pilot messages sent' as detail
    from measured
    union all
    select
        campaign_id,
        2 as check_order,
        'messages are relevant' as check_name,
        approval_rate as figure,
        pilot_min_approval_rate as threshold,
        '>=' as comparison,
        coalesce(approval_rate >= pilot_min_approval_rate, false) as passed,
        cast(messages_approved as varchar) || ' approved of ' || cast(review_decisions as varchar) || ' reviewed' as detail
    from measured
    union all
    select
        campaign_id,
        3 as check_order,
        'personalisation is accurate' as check_name,
        human_edit_rate as figure,
        pilot_max_edit_rate as threshold,
        '<=' as comparison,
        coalesce(human_edit_rate <= pilot_max_edit_rate, false) as passed,
        cast(human_edits as varchar) || ' of ' || cast(messages_approved as varchar) || ' approvals needed an edit' as detail
    from measured
    union all
    select
        campaign_id,
        4 as check_order,
        'deliverability is acceptable' as check_name,
        bounce_rate as figure,
        pilot_max_bounce_rate as threshold,
        '<=' as comparison,
        coalesce(bounce_rate <= pilot_max_bounce_rate, false) as passed,
        cast(hard_bounces + soft_bounces as varchar) || ' bounces of ' || cast(messages_sent as varchar) || ' sent' as detail
    from measured
    union all
    select
        campaign_id,
        5 as check_order,
        'complaints are low' as check_name,
        complaint_rate as figure,
        pilot_max_complaint_rate as threshold,
        '<=' as comparison,
        coalesce(complaint_rate <= pilot_max_complaint_rate, false) as passed,
        cast(complaints as varchar) || ' complaints of ' || cast(messages_sent as varchar) || ' sent' as detail
    from measured
    union all
    select
        campaign_id,
        6 as check_order,
        'reply quality is useful' as check_name,
        positive_reply_rate as figure,
        pilot_min_positive_reply_rate as threshold,
        '>=' as comparison,
        coalesce(positive_reply_rate >= pilot_min_positive_reply_rate, false) as passed,
        cast(positive_replies as varchar) || ' positive replies of ' || cast(messages_sent as varchar) || ' sent' as detail
    from measured
    union all
    select
        campaign_id,
        7 as check_order,
        'bookings are qualified' as check_name,
        cast(qualified_bookings as double precision) as figure,
        cast(pilot_min_qualified_bookings as double precision) as threshold,
        '>=' as comparison,
        qualified_bookings >= pilot_min_qualified_bookings as passed,
        cast(qualified_bookings as varchar) || ' qualified of ' || cast(bookings as varchar) || ' bookings' as detail
    from measured
    union all
    select
        campaign_id,
        8 as check_order,
        'CRM records are accurate' as check_name,
        crm_accuracy as figure,
        1.0 as threshold,
        '>=' as comparison,
        coalesce(crm_accuracy >= 1.0, false) and crm_rows_evidenced = crm_rows as passed,
        case
            when crm_audits = 0
                then 'no CRM record audited yet (outreach audit-crm); '
            else cast(crm_audits_correct as varchar) || ' of ' || cast(crm_audits as varchar) || ' audited records right; '
        end
        || cast(crm_rows_evidenced as varchar) || ' of ' || cast(crm_rows as varchar) || ' CRM stages backed by evidence' as detail
    from measured
    union all
    select
        campaign_id,
        9 as check_order,
        'suppression works' as check_name,
        cast(transitions_not_allowed as double precision) as figure,
        0.0 as threshold,
        '<=' as comparison,
        transitions_not_allowed = 0 as passed,
        cast(transitions_not_allowed as varchar) || ' transitions outside the rules (a send or draft after suppression is one)'
        || ' not yet acknowledged (`outreach acknowledge-breach`)' as detail
    from measured
    union all
    select
        campaign_id,
        10 as check_order,
        'human review remains manageable' as check_name,
        cast(oldest_waiting_days as double precision) as figure,
        cast(pilot_max_review_wait_days as double precision) as threshold,
        '<=' as comparison,
        oldest_waiting_days <= pilot_max_review_wait_days as passed,
        cast(drafts_waiting as varchar) || ' drafts waiting; the oldest for ' || cast(oldest_waiting_days as varchar) || ' days' as detail
    from measured
),

final as (
    select
        checks.*,
        {{ as_of() }} as as_of
    from checks
)

select * from final
