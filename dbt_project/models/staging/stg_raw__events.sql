with source as (
    {{ latest_version(source('raw', 'events'), ['event_ref']) }}
),

final as (
    select
        event_record_id,
        event_ref,
        event_type,
        cast(occurred_at as timestamp) as occurred_at,
        campaign_id,
        communication_id,
        evidence_ref,
        detail,
        cast(value as double precision) as value,
        proposal_version,
        scope_summary,
        owner as proposal_owner,
        _source_file as source_file,
        _as_of as ingested_on,
        lower(email_normalised) as email_key
    from source
)

select * from final
