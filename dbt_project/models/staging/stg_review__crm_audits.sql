-- One row per CRM record a human checked against its evidence: the stage the pipeline
-- showed then, the stage the human found, who and when. The latest audit of a record on
-- a day counts (a human who corrects their own audit the same day).
with source as (
    select * from {{ source('review', 'crm_audits') }}
),

ranked as (
    select
        prospect_id,
        campaign_id,
        recorded_stage,
        audited_stage,
        audited_by,
        note,
        cast(audited_on as date) as audited_on,
        audited_at,
        row_number() over (
            partition by prospect_id, campaign_id, cast(audited_on as date) order by audited_at desc
        ) as recency
    from source
),

final as (
    select
        prospect_id,
        campaign_id,
        recorded_stage,
        audited_stage,
        audited_by,
        note,
        audited_on,
        audited_at,
        recorded_stage = audited_stage as is_correct
    from ranked
    where recency = 1
)

select * from final
