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
    select funnel.*, campaigns.pilot_size, campaigns.pilot_min_approval_rate, campaigns.pilot_max_edit_rate,
        campaigns.pilot_max_bounce_rate, campaigns.pilot_max_complaint_rate,
        campaigns.pilot_min_positive_reply_rate, campaigns.pilot_min_qualified_bookings,
        campaigns.pilot_max_review_wait_days
    from funnel
    inner join campaigns on funnel.campaign_id = campaigns.campaign_id
),

checks as (
    select campaign_id, 1 as check_order, 'pilot size reached' as check_name,
        cast(messages_sent as double precision) as figure, cast(pilot_size as double precision) as threshold, '>=' as comparison,
        messages_sent >= pilot_size as passed,
        cast(messages_sent as varchar) || ' of ' || cast(pilot_size as varchar) || ' pilot messages sent' as detail
    from measured
    union all
    select campaign_id, 2, 'messages are relevant', approval_rate, pilot_min_approval_rate, '>=',
        coalesce(approval_rate >= pilot_min_approval_rate, false),
        cast(messages_approved as varchar) || ' approved of ' || cast(review_decisions as varchar) || ' reviewed'
    from measured
    union all
    select campaign_id, 3, 'personalisation is accurate', human_edit_rate, pilot_max_edit_rate, '<=',
        coalesce(human_edit_rate <= pilot_max_edit_rate, false),
        cast(human_edits as varchar) || ' of ' || cast(messages_approved as varchar) || ' approvals needed an edit'
    from measured
    union all
    select campaign_id, 4, 'deliverability is acceptable', bounce_rate, pilot_max_bounce_rate, '<=',
        coalesce(bounce_rate <= pilot_max_bounce_rate, false),
        cast(hard_bounces + soft_bounces as varchar) || ' bounces of ' || cast(messages_sent as varchar) || ' sent'
    from measured
    union all
    select campaign_id, 5, 'complaints are low', complaint_rate, pilot_max_complaint_rate, '<=',
        coalesce(complaint_rate <= pilot_max_complaint_rate, false),
        cast(complaints as varchar) || ' complaints of ' || cast(messages_sent as varchar) || ' sent'
    from measured
    union all
    select campaign_id, 6, 'reply quality is useful', positive_reply_rate, pilot_min_positive_reply_rate, '>=',
        coalesce(positive_reply_rate >= pilot_min_positive_reply_rate, false),
        cast(positive_replies as varchar) || ' positive replies of ' || cast(messages_sent as varchar) || ' sent'
    from measured
    union all
    select campaign_id, 7, 'bookings are qualified', cast(qualified_bookings as double precision), cast(pilot_min_qualified_bookings as double precision), '>=',
        qualified_bookings >= pilot_min_qualified_bookings,
        cast(qualified_bookings as varchar) || ' qualified of ' || cast(bookings as varchar) || ' bookings'
    from measured
    union all
    select campaign_id, 8, 'CRM records are accurate', crm_accuracy, 1.0, '>=',
        coalesce(crm_accuracy >= 1.0, false),
        cast(crm_rows_evidenced as varchar) || ' of ' || cast(crm_rows as varchar) || ' CRM stages backed by evidence'
    from measured
    union all
    select campaign_id, 9, 'suppression works', cast(transitions_not_allowed as double precision), 0.0, '<=',
        transitions_not_allowed = 0,
        cast(transitions_not_allowed as varchar) || ' transitions outside the rules (a send or draft after suppression is one)'
    from measured
    union all
    select campaign_id, 10, 'human review remains manageable', cast(oldest_waiting_days as double precision), cast(pilot_max_review_wait_days as double precision), '<=',
        oldest_waiting_days <= pilot_max_review_wait_days,
        cast(drafts_waiting as varchar) || ' drafts waiting; the oldest for ' || cast(oldest_waiting_days as varchar) || ' days'
    from measured
),

final as (
    select checks.*, {{ as_of() }} as as_of
    from checks
)

select * from final
