{#- Whose law governs contact with a person: the recipient's. Their country (the lead's
    own `country`; `UK` read as `GB`), else the jurisdiction of the source the lead came
    from. A country without a rule of its own is judged by the EU rule when it is a member
    state; any other country without a rule is not permitted (permission is never
    assumed). -#}
{% macro eu_member_states() -%}
    {{ return(['AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT',
               'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE']) }}
{%- endmacro %}

{% macro recipient_country(country) -%}
    case upper(trim({{ country }})) when 'UK' then 'GB' when 'EL' then 'GR' else nullif(upper(trim({{ country }})), '') end
{%- endmacro %}

{#- the rule row for `jurisdiction` from `rules` (stg_config__jurisdiction_rules): its own,
    else the EU's for a member state -#}
{% macro jurisdiction_rule_matches(rules, jurisdiction) -%}
    (
        {{ rules }}.jurisdiction = {{ jurisdiction }}
        or (
            {{ rules }}.jurisdiction = 'EU'
            and {{ jurisdiction }} in ('{{ eu_member_states() | join("', '") }}')
            and {{ jurisdiction }} not in (select own.jurisdiction from {{ ref('stg_config__jurisdiction_rules') }} as own)
        )
    )
{%- endmacro %}
