{{ config(tags=['after_drafting']) }}
-- One row per campaign: ready when every Launch Readiness Checklist item passes, with the
-- failing items named. The send job reads it.
with items as (
    select * from {{ ref('launch_readiness') }}
),

final as (
    select
        campaign_id,
        {{ as_of() }} as as_of,
        min(case when passed then 1 else 0 end) = 1 as is_ready,
        sum(case when passed then 0 else 1 end) as items_failing,
        {{ dbt.listagg("case when not passed then item || ': ' || reason end", "'; '", "order by item_order") }} as failing_items
    from items
    group by campaign_id
)

select * from final
