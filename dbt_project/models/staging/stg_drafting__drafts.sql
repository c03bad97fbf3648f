{{ config(tags=['after_drafting']) }}

with source as (
    select * from {{ source('drafting', 'drafts') }}
),

final as (
    select * from source
)

select * from final
