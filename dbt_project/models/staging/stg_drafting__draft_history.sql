with source as (
    select * from {{ source('drafting', 'draft_history') }}
),

final as (
    select
        communication_id,
        prospect_id,
        campaign_id,
        cast(step as integer) as step,
        content_hash,
        subject,
        body,
        drafted_on,
        config_version
    from source
)

select * from final
