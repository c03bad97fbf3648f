with source as (
    select * from {{ source('config', 'campaign_audience') }}
),

final as (
    select
        campaign_id,
        dimension,
        value,
        config_version
    from source
)

select * from final
