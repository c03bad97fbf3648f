with source as (
    select * from {{ source('config', 'offer_countries') }}
),

final as (
    select
        offer_id,
        country,
        config_version
    from source
)

select * from final
