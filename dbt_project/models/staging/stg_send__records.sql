-- One row per send outcome (append-only; a communication may have a transient failure
-- before it was sent). The provider's id is the evidence that a message left.
with source as (
    select * from {{ source('send', 'records') }}
),

final as (
    select
        record_id,
        communication_id,
        prospect_id,
        company,
        source_id,
        permission_type,
        campaign_id,
        offer_id,
        channel,
        message_type,
        cast(step as integer) as step,
        evidence_id,
        cta_id,
        ai_draft,
        human_edited_version,
        personalisation_source,
        compliance_flag,
        approval_status,
        approved_by,
        approved_content_hash,
        sent_status,
        sent_at,
        provider_result,
        recipient,
        message_id,
        recorded_at,
        config_version,
        notice_version,
        experiment_id,
        arm_id,
        human_edited_version is not null as was_edited,
        nullif(trim(provider_message_id), '') as provider_message_id
    from source
)

select * from final
