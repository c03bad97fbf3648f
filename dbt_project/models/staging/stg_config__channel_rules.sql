with source as (
    select * from {{ source('config', 'channel_rules') }}
),

final as (
    select * from source
)

select * from final
