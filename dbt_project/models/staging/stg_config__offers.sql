with source as (
    select * from {{ source('config', 'offers') }}
),

final as (
    select
        offer_id,
        name as offer_name,
        target_market,
        buyer_roles,
        business_types,
        countries,
        problem,
        config_version
    from source
)

select * from final
