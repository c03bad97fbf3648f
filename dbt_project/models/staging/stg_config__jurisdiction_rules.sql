with source as (
    select * from {{ source('config', 'jurisdiction_rules') }}
),

final as (
    select * from source
)

select * from final
