{#- Layers live in schemas named after them (staging, intermediate, marts), so
    analysts find `marts.prospects`, not `main_marts.prospects`. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
