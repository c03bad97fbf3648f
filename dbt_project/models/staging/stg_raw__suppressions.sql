with source as (
    select * from {{ source('raw', 'suppressions') }}
),

final as (
    select
        suppression_record_id,
        suppression_ref,
        -- keys, reason, scope and date are read at the door (assets/suppression_input.py):
        -- doubt widens a suppression, never narrows it
        email_key,
        domain_key as domain,
        phone_key,
        reason,
        scope,
        scope_value,
        cast(effective_at as timestamp) as effective_at,
        requested_by,
        interpretation,
        _source_file as source_file,
        _as_of as ingested_on,
        _ingested_at as ingested_at,
        coalesce(needs_review, false) as needs_review
    from source
)

select * from final
