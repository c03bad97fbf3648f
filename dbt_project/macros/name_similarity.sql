{#- How alike two normalised names are, 0 to 1. DuckDB has Jaro-Winkler built in;
    elsewhere exact equality is the portable fallback (no extension needed). -#}
{% macro name_similarity(a, b) -%}
    {{ return(adapter.dispatch('name_similarity')(a, b)) }}
{%- endmacro %}

{% macro default__name_similarity(a, b) -%}
    case when {{ a }} = {{ b }} then 1.0 else 0.0 end
{%- endmacro %}

{% macro duckdb__name_similarity(a, b) -%}
    jaro_winkler_similarity({{ a }}, {{ b }})
{%- endmacro %}
