with source as (
    select * from {{ source('config', 'version_history') }}
),

final as (
    select
        campaign_id,
        config_version,
        claims_hash,
        ctas_hash,
        targeting_hash,
        templates_hash,
        sequence_hash,
        scoring_hash,
        messaging_hash,
        experiments_hash,
        campaign_hash,
        sources_hash,
        cast(first_seen_on as date) as first_seen_on,
        cast(last_seen_on as date) as last_seen_on
    from source
)

select * from final
