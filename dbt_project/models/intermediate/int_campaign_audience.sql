-- One row per prospect x campaign whose audience the prospect is in: it passes every
-- dimension the campaign filters on (country, source); a campaign with no filter on a
-- dimension takes every prospect on it. A reactivation campaign takes only the people
-- its pool names (int_reactivation_pool).
with prospects as (
    select * from {{ ref('int_prospects_resolved') }}
),

campaigns as (
    select * from {{ ref('stg_config__campaigns') }}
),

audience as (
    select * from {{ ref('stg_config__campaign_audience') }}
),

-- a reactivation campaign reaches only the people its pool names
reactivation as (
    select * from {{ ref('int_reactivation_pool') }}
),

final as (
    select
        prospects.prospect_id,
        campaigns.campaign_id
    from prospects
    cross join campaigns
    where
        {%- for dimension, value in [('country', 'prospects.country'), ('source', 'prospects.source_id')] %}
            {{ 'and' if not loop.first }} (
                not exists (
                    select 1 from audience as a
                    where a.campaign_id = campaigns.campaign_id and a.dimension = '{{ dimension }}'
                )
                or exists (
                    select 1 from audience as a
                    where
                        a.campaign_id = campaigns.campaign_id
                        and a.dimension = '{{ dimension }}'
                        and a.value = {{ value }}
                )
            )
        {%- endfor %}
    intersect
    select
        reachable.prospect_id,
        reachable.campaign_id
    from (
        select
            prospects.prospect_id,
            campaigns.campaign_id
        from prospects
        cross join campaigns
        where not campaigns.is_reactivation
        union all
        select
            reactivation.prospect_id,
            reactivation.campaign_id
        from reactivation
    ) as reachable
)

select * from final
