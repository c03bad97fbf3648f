with source as (
    select * from {{ source('config', 'lead_sources') }}
),

final as (
    select
        source_id,
        name as source_name,
        owner as source_owner,
        source_type,
        permission_type,
        permitted_use,
        is_public,
        collection_method,
        jurisdiction,
        cast(reviewed_on as date) as reviewed_on,
        compliance_status,
        existing_relationship as has_existing_relationship,
        is_third_party,
        notice,
        notice_version
    from source
)

select * from final
