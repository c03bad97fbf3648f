with source as (
    select * from {{ source('config', 'privacy_settings') }}
),

final as (
    select
        cast(retention_inactive_days as integer) as retention_inactive_days,
        config_version
    from source
)

select * from final
