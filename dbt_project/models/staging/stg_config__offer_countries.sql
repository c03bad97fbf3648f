with source as (
    select * from {{ source('config', 'offer_countries') }}
),

final as (
    select * from source
)

select * from final
