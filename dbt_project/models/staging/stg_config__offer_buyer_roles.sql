with source as (
    select * from {{ source('config', 'offer_buyer_roles') }}
),

final as (
    select * from source
)

select * from final
