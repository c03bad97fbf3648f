with source as (
    select * from {{ source('config', 'scoring_rules') }}
),

final as (
    select * from source
)

select * from final
