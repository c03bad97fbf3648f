with source as (
    select * from {{ source('config', 'contact_budget') }}
),

final as (
    select
        cast(first_touches_per_day as integer) as first_touches_per_day,
        config_version
    from source
)

select * from final
