-- One row per human acknowledgement of a pilot-gate breach: who, why, when, and the last
-- day it covers (the transitions outside the rules up to that day were looked at).
with source as (
    select * from {{ source('review', 'breach_acknowledgements') }}
),

final as (
    select
        campaign_id,
        acknowledged_by,
        reason,
        cast(covers_through as date) as covers_through,
        acknowledged_at
    from source
)

select * from final
