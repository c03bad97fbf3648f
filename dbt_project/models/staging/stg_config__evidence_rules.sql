with source as (
    select * from {{ source('config', 'evidence_rules') }}
),

final as (
    select * from source
)

select * from final
