with source as (
    select * from {{ source('config', 'evidence_rules') }}
),

final as (
    select
        category,
        max_age_days,
        min_confidence,
        is_sensitive,
        config_version
    from source
)

select * from final
