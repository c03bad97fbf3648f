{{ config(tags=['after_drafting']) }}
-- One row per campaign: whether its pilot gate passed on the run date, and which
-- checks failed. Until it passes, the send job caps the campaign at its pilot size.
with checks as (
    select * from {{ ref('pilot_gate') }}
),

final as (
    select
        campaign_id,
        {{ as_of() }} as as_of,
        min(case when passed then 1 else 0 end) = 1 as passed,
        sum(case when passed then 0 else 1 end) as checks_failed,
        {{ dbt.listagg("case when not passed then check_name end", "'; '", "order by check_order") }} as failed_checks
    from checks
    group by campaign_id
)

select * from final
