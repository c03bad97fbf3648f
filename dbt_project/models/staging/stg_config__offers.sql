with source as (
    select * from {{ source('config', 'offers') }}
),

final as (
    select
        offer_id,
        name as offer_name,
        target_market,
        -- the lists (buyer_roles, countries, business_types) are rows of their own in
        -- stg_config__offer_buyer_roles and _countries: arrays do not travel across adapters
        problem,
        config_version
    from source
)

select * from final
