{#- The run date as a SQL date literal. A run without it fails instead of guessing. -#}
{% macro as_of() -%}
    {%- set value = var('as_of', none) -%}
    {%- if value is none and execute -%}
        {{ exceptions.raise_compiler_error("var 'as_of' is required: pass --vars '{as_of: YYYY-MM-DD}' (Dagster passes the partition date)") }}
    {%- endif -%}
    cast('{{ value or "1970-01-01" }}' as date)
{%- endmacro %}
