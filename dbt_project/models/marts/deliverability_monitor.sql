{{ config(tags=['after_drafting']) }}
-- One row per campaign: bounces and complaints over the campaign's rolling window
-- against its thresholds (config deliverability: the large mailbox providers'
-- bulk-sender rules by default, complaints under 0.1% and never 0.3%). A campaign
-- over a threshold is paused: the send job refuses it until the rate falls back.
with campaigns as (
    select * from {{ ref('stg_config__campaigns') }}
),

daily as (
    select * from {{ ref('funnel_daily') }}
),

windowed as (
    select
        campaigns.campaign_id,
        campaigns.deliverability_window_days as window_days,
        campaigns.deliverability_max_bounce_rate as max_bounce_rate,
        campaigns.deliverability_max_complaint_rate as max_complaint_rate,
        campaigns.deliverability_never_complaint_rate as never_complaint_rate,
        coalesce(sum(daily.messages_sent), 0) as messages_sent,
        coalesce(sum(daily.hard_bounces + daily.soft_bounces), 0) as bounces,
        coalesce(sum(daily.complaints), 0) as complaints
    from campaigns
    left join daily
        on
            campaigns.campaign_id = daily.campaign_id
            and daily.funnel_day > cast({{ dbt.dateadd('day', '-campaigns.deliverability_window_days', as_of()) }} as date)
            and daily.funnel_day <= {{ as_of() }}
    group by
        campaigns.campaign_id, campaigns.deliverability_window_days, campaigns.deliverability_max_bounce_rate,
        campaigns.deliverability_max_complaint_rate, campaigns.deliverability_never_complaint_rate
),

rated as (
    select
        windowed.*,
        {{ ratio('bounces', 'messages_sent') }} as bounce_rate,
        {{ ratio('complaints', 'messages_sent') }} as complaint_rate
    from windowed
),

final as (
    select
        rated.*,
        {{ as_of() }} as as_of,
        case
            when coalesce(rated.complaint_rate, 0) > rated.max_complaint_rate or coalesce(rated.bounce_rate, 0) > rated.max_bounce_rate
                then 'paused'
            else 'ok'
        end as status,
        case
            when coalesce(rated.complaint_rate, 0) >= rated.never_complaint_rate
                then
                    'complaint rate ' || {{ rounded_text('complaint_rate * 100', 2) }} || '% is at or over the never-exceed line of '
                    || {{ rounded_text('never_complaint_rate * 100', 2) }} || '%'
            when coalesce(rated.complaint_rate, 0) > rated.max_complaint_rate
                then
                    'complaint rate ' || {{ rounded_text('complaint_rate * 100', 2) }} || '% is over '
                    || {{ rounded_text('max_complaint_rate * 100', 2) }} || '%'
            when coalesce(rated.bounce_rate, 0) > rated.max_bounce_rate
                then
                    'bounce rate ' || {{ rounded_text('bounce_rate * 100', 2) }} || '% is over '
                    || {{ rounded_text('max_bounce_rate * 100', 2) }} || '%'
        end as pause_reason
    from rated
)

select * from final
