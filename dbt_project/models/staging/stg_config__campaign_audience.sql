with source as (
    select * from {{ source('config', 'campaign_audience') }}
),

final as (
    select * from source
)

select * from final
