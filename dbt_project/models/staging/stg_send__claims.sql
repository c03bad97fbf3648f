with source as (
    select * from {{ source('send', 'claims') }}
),

final as (
    select
        communication_id,
        content_hash,
        campaign_id,
        prospect_id,
        recipient,
        claimed_at,
        run_id,
        transport
    from source
)

select * from final
