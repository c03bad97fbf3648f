-- One row per prospect x reactivation campaign (config campaigns[].reactivation) the
-- prospect may be reopened in on the run date: their last word was Not Now and its review
-- date has come (a Not Now without a date: the campaign's park_review_days after it), or
-- they were lost (deal_lost, proposal_declined) at least closed_lost_after_days ago.
-- `reactivate_from`: what happened before it belongs to the paused conversation, not to
-- this campaign's sequence (int_sequence_pairs.facts_from; send_queue's hold on replies).
-- Read from the event log, not the sequence states, so that the audience never depends
-- on the states it feeds.
with events as (
    select * from {{ ref('int_sequence_events') }}
),

campaigns as (
    select * from {{ ref('stg_config__campaigns') }}
    where is_reactivation
),

replies as (
    select
        prospect_id,
        event_type,
        event_on,
        due_on,
        row_number() over (partition by prospect_id order by event_at desc, event_id desc) as recency
    from events
    where source_system = 'inbound' and event_type like 'reply%' and event_type <> 'reply_out_of_office'
),

not_now as (
    select
        replies.prospect_id,
        campaigns.campaign_id,
        coalesce(
            replies.due_on, cast({{ dbt.dateadd('day', 'campaigns.park_review_days', 'replies.event_on') }} as date)
        ) as review_on
    from replies
    cross join campaigns
    where replies.recency = 1 and replies.event_type = 'reply_not_now' and campaigns.reactivate_not_now
),

lost as (
    select
        prospect_id,
        max(event_on) as lost_on
    from events
    where event_type in ('deal_lost', 'proposal_declined')
    group by prospect_id
),

reasons as (
    select
        prospect_id,
        campaign_id,
        review_on as reactivate_on,
        'Not Now; review date ' || cast(review_on as varchar) as reactivated_because
    from not_now
    where review_on <= {{ as_of() }}
    union all
    select
        lost.prospect_id,
        campaigns.campaign_id,
        cast({{ dbt.dateadd('day', 'campaigns.reactivate_closed_lost_after_days', 'lost.lost_on') }} as date)
            as reactivate_on,
        'Closed Lost on ' || cast(lost.lost_on as varchar) as reactivated_because
    from lost
    inner join campaigns on campaigns.reactivate_closed_lost_after_days is not null
    where {{ dbt.datediff('lost.lost_on', as_of(), 'day') }} >= campaigns.reactivate_closed_lost_after_days
),

final as (
    select
        prospect_id,
        campaign_id,
        reactivated_because,
        cast(reactivate_on as timestamp) as reactivate_from,
        row_number() over (partition by prospect_id, campaign_id order by reactivate_on asc, reactivated_because asc)
            as reason_rank
    from reasons
)

select
    prospect_id,
    campaign_id,
    reactivated_because,
    reactivate_from
from final
where reason_rank = 1
