with records as (
    select * from {{ ref('int_lead_records_resolved') }}
),

final as (
    select
        lead_record_id,
        source_id,
        source_record,
        prospect_id,
        company_id,
        identity_status,
        match_reason,
        match_score,
        is_primary_record
    from records
)

select * from final
