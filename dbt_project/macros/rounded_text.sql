{#- A number rounded to `places` decimals, as text for a sentence ("p = 0.0123").
    PostgreSQL rounds to a scale only on numeric, and trim_scale drops its trailing
    zeros so both targets write 2.5, not 2.50. -#}
{% macro rounded_text(value, places) -%}
    {{ return(adapter.dispatch('rounded_text')(value, places)) }}
{%- endmacro %}

{% macro default__rounded_text(value, places) -%}
    cast(round({{ value }}, {{ places }}) as varchar)
{%- endmacro %}

{% macro postgres__rounded_text(value, places) -%}
    cast(trim_scale(round(cast({{ value }} as numeric), {{ places }})) as varchar)
{%- endmacro %}
