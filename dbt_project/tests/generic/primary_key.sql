{#- A column is a key: never null and never repeated. One query where dbt's `unique` and
    `not_null` are two (each dbt test is a node with its own start-up and its own Dagster
    check; a daily run builds 35 of these pairs). A failing row is either a null or a
    repeated value with how often it occurs. -#}
{% test primary_key(model, column_name) %}
select
    {{ column_name }} as key_value,
    count(*) as occurrences
from {{ model }}
group by {{ column_name }}
having {{ column_name }} is null or count(*) > 1
{% endtest %}
