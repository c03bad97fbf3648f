-- One row per prospect x campaign whose audience the prospect is in: it passes every
-- dimension the campaign filters on (country, source); a campaign with no filter on a
-- dimension takes every prospect on it.
with prospects as (
    select * from {{ ref('int_prospects_resolved') }}
),

campaigns as (
    select * from {{ ref('stg_config__campaigns') }}
),

audience as (
    select * from {{ ref('stg_config__campaign_audience') }}
),

final as (
    select
        prospects.prospect_id,
        campaigns.campaign_id
    from prospects
    cross join campaigns
    where
        not exists (
            select 1 from audience as a
            where a.campaign_id = campaigns.campaign_id and a.dimension = 'country'
        ) or exists (
            select 1 from audience as a
            where a.campaign_id = campaigns.campaign_id and a.dimension = 'country' and a.value = prospects.country
        )
    intersect
    select
        prospects.prospect_id,
        campaigns.campaign_id
    from prospects
    cross join campaigns
    where not exists (
        select 1 from audience as a
        where a.campaign_id = campaigns.campaign_id and a.dimension = 'source'
    ) or exists (
        select 1 from audience as a
        where a.campaign_id = campaigns.campaign_id and a.dimension = 'source' and a.value = prospects.source_id
    )
)

select * from final
