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

{#- Edits (insertions, deletions, substitutions, transpositions) between two strings:
    what a typo does. Unlike Jaro-Winkler it does not forgive a different surname after
    a shared first name. -#}
{% macro edit_distance(a, b) -%}
    {{ return(adapter.dispatch('edit_distance')(a, b)) }}
{%- endmacro %}

{% macro default__edit_distance(a, b) -%}
    levenshtein({{ a }}, {{ b }})
{%- endmacro %}

{% macro duckdb__edit_distance(a, b) -%}
    damerau_levenshtein({{ a }}, {{ b }})
{%- endmacro %}
