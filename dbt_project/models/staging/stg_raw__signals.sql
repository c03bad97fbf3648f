with source as (
    {{ latest_version(source('raw', 'signals'), ['signal_ref']) }}
),

final as (
    select
        signal_record_id,
        signal_ref,
        company_domain_normalised as company_domain,
        signal_type,
        description,
        source_url,
        cast(observed_on as date) as observed_on,
        cast(expires_on as date) as expires_on,
        _source_file as source_file,
        _as_of as ingested_on
    from source
)

select * from final
