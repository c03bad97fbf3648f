with source as (
    select * from {{ source('review', 'decisions') }}
),

final as (
    select
        decision_id,
        review_token,
        communication_id,
        draft_content_hash,
        prospect_id,
        campaign_id,
        decision,
        reviewer,
        approved_subject,
        approved_body,
        approved_content_hash,
        notes,
        decided_at,
        expires_on,
        source_file,
        source_row,
        config_version
    from source
)

select * from final
