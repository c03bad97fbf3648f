with source as (
    select * from {{ source('config', 'scoring_rules') }}
),

final as (
    select
        factor,
        points,
        rule,
        priority_one_min,
        priority_two_min,
        priority_three_min,
        config_version
    from source
)

select * from final
