with source as (
    select * from {{ source('config', 'offer_buyer_roles') }}
),

final as (
    select
        offer_id,
        role,
        config_version
    from source
)

select * from final
