{{ config(tags=['after_drafting']) }}
-- The full funnel by day, campaign, offer, channel and step (framework Measurement And
-- Experimentation Layer): activity, delivery, reply, qualification, commercial and
-- quality counts, and rates computed from the counts of the same row. Sum the counts to
-- re-aggregate; never average the rates.
with facts as (
    select * from {{ ref('int_funnel_events') }}
    where campaign_id is not null
),

summed as (
    select
        funnel_day,
        campaign_id,
        offer_id,
        channel,
        step,
        {{ funnel_sums() }}
    from facts
    group by funnel_day, campaign_id, offer_id, channel, step
),

final as (
    select
        summed.*,
        {{ funnel_rates() }}
    from summed
)

select * from final
