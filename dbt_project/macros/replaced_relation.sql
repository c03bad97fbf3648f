{#- A model built in one statement on DuckDB: `create or replace table|view ... as`.
    dbt's own table and view materializations build a temporary relation, rename the old
    one aside, rename the new one in and drop the old: four statements, each with its
    adapter-cache bookkeeping and events, about a third of a model's time in a daily run.
    DuckDB replaces a relation atomically in one statement, so a failed build still
    leaves the previous one in place. Used for staging (views) and intermediate (tables)
    on DuckDB (dbt_project.yml); contracted marts, incremental models and other
    warehouses keep dbt's own. -#}
{% materialization replaced_view, adapter='duckdb' %}
    {{ return(replace_relation_in_one_statement('view')) }}
{% endmaterialization %}

{% materialization replaced_table, adapter='duckdb' %}
    {{ return(replace_relation_in_one_statement('table')) }}
{% endmaterialization %}

{% macro replace_relation_in_one_statement(kind) %}
    {%- set target_relation = this.incorporate(type=kind) -%}
    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}
    {% call statement('main') -%}
        create or replace {{ kind }} {{ target_relation }} as (
            {{ sql }}
        )
    {%- endcall %}
    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {{ adapter.commit() }}
    {{ run_hooks(post_hooks, inside_transaction=False) }}
    {{ return({'relations': [target_relation]}) }}
{% endmacro %}
