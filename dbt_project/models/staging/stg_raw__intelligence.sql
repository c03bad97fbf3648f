with source as (
    {{ latest_version(source('raw', 'intelligence'), ['evidence_ref']) }}
),

final as (
    select
        intelligence_record_id,
        evidence_ref,
        company_domain_normalised as company_domain,
        category,
        observation,
        evidence_class,
        source_name,
        source_url,
        cast(source_date as date) as source_on,
        cast(confidence as double precision) as confidence,
        _source_file as source_file,
        _as_of as ingested_on,
        lower(email_normalised) as email_key,
        coalesce(is_sensitive = 'true', false) as is_sensitive
    from source
)

select * from final
