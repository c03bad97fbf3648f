{{ config(tags=['after_drafting']) }}
-- One row per experiment x prospect exposed to it: the arm its sent message carried (the
-- send record's, so a later change of weights never moves a prospect already exposed),
-- the day it was sent, and whether the prospect replied, replied positively or booked a
-- qualified meeting in the campaign on or after that day.
with arms as (
    select distinct
        campaign_id,
        experiment_id,
        step
    from {{ ref('stg_config__experiment_arms') }}
),

records as (
    select * from {{ ref('stg_send__records') }}
    where sent_status = 'sent' and arm_id is not null
),

exposures as (
    select
        records.campaign_id,
        records.experiment_id,
        records.prospect_id,
        min(records.arm_id) as arm_id,
        min(cast(records.sent_at as date)) as exposed_on
    from records
    inner join arms
        on
            records.campaign_id = arms.campaign_id
            and records.experiment_id = arms.experiment_id
            and records.step = arms.step
    group by records.campaign_id, records.experiment_id, records.prospect_id
),

funnel as (
    select * from {{ ref('int_funnel_events') }}
),

final as (
    select
        exposures.campaign_id,
        exposures.experiment_id,
        exposures.arm_id,
        exposures.prospect_id,
        exposures.exposed_on,
        max(case when funnel.replies > 0 then 1 else 0 end) as replied,
        max(case when funnel.positive_replies > 0 then 1 else 0 end) as replied_positively,
        max(case when funnel.qualified_bookings > 0 then 1 else 0 end) as booked_qualified
    from exposures
    left join funnel
        on
            exposures.prospect_id = funnel.prospect_id
            and exposures.campaign_id = funnel.campaign_id
            and exposures.exposed_on <= funnel.funnel_day
    group by exposures.campaign_id, exposures.experiment_id, exposures.arm_id, exposures.prospect_id, exposures.exposed_on
)

select * from final
