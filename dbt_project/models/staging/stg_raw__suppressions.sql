with source as (
    select * from {{ source('raw', 'suppressions') }}
),

final as (
    select
        suppression_record_id,
        suppression_ref,
        -- an address that failed validation still suppresses its literal form
        lower(coalesce(email_normalised, trim(email))) as email_key,
        domain_normalised as domain,
        coalesce(phone_e164, trim(phone)) as phone_key,
        reason,
        -- a scoped suppression that does not say what it scopes to is read as global:
        -- doubt widens a suppression, never narrows it
        case when scope <> 'global' and nullif(trim(scope_value), '') is null then 'global' else scope end as scope,
        case when scope = 'channel' then lower(trim(scope_value)) else nullif(trim(scope_value), '') end as scope_value,
        cast(effective_at as timestamp) as effective_at,
        requested_by,
        _source_file as source_file,
        _as_of as ingested_on
    from source
)

select * from final
