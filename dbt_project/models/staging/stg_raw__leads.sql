with source as (
    {{ latest_version(source('raw', 'leads'), ['source_id', 'source_record']) }}
),

final as (
    select
        lead_record_id,
        source_id,
        source_record,
        cast(captured_on as date) as captured_on,
        email as email_as_given,
        email_normalised,
        email_domain,
        email_issue,
        phone as phone_as_given,
        phone_e164,
        phone_issue,
        company_website,
        company_domain,
        is_free_mail,
        is_role_address,
        extra,
        _source_file as source_file,
        _file_sha256 as file_sha256,
        _row_number as row_number,
        _batch_id as batch_id,
        _as_of as ingested_on,
        _ingested_at as ingested_at,
        nullif(trim(first_name), '') as first_name,
        nullif(trim(last_name), '') as last_name,
        lower(email_normalised) as email_key,
        nullif(trim(company_name), '') as company_name,
        nullif(trim(role), '') as role,
        upper(trim(country)) as country,
        nullif(trim(city), '') as city,
        nullif(trim(inquiry), '') as inquiry
    from source
)

select * from final
