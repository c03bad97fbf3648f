{#- One row per campaign from a checklist (one row per campaign x item with `passed`): whether
    every item passed, how many failed, and the failing ones in order, as `label`. -#}
{% macro checklist_status(items, passed_as, failed_count_as, failed_list_as, label, order_by) %}
select
    campaign_id,
    {{ as_of() }} as as_of,
    min(case when passed then 1 else 0 end) = 1 as {{ passed_as }},
    sum(case when passed then 0 else 1 end) as {{ failed_count_as }},
    {{ dbt.listagg("case when not passed then " ~ label ~ " end", "'; '", "order by " ~ order_by) }} as {{ failed_list_as }}
from {{ items }}
group by campaign_id
{% endmacro %}
