{#- Identity resolution's settings, written on every clustered row: an incremental run
    whose settings differ from the table's recomputes every cluster. Raise `version`
    when the clustering rules below change. -#}
{% macro identity_settings() -%}
    {{ return('version=2 rounds=' ~ var('identity_rounds', 6)
        ~ ' email_edits=' ~ var('identity_email_edits', 2)
        ~ ' name_edits=' ~ var('identity_name_edits', 1)) }}
{%- endmacro %}

{#- The parts of an address a typo link compares, for records that may take part in one:
    a personal address (not a shared mailbox, not a free mail domain) with a name. -#}
{% macro address_parts(relation) -%}
    select
        lead_record_id,
        email_key,
        email_domain,
        name_key,
        split_part(email_key, '@', 1) as local_part,
        regexp_replace(split_part(email_key, '@', 1), '[^0-9]', '', 'g') as local_digits
    from {{ relation }}
    where email_key is not null and not is_free_mail and length(name_key) > 3
{%- endmacro %}

{#- A typo in an address: two different addresses at one company domain whose local
    parts are a typo apart with the same digits (john.smith1 is a namesake, not a typo),
    and whose names are a typo apart too. Blocking on the domain keeps it small. -#}
{% macro similar_addresses(left, right) -%}
    {{ left }}.email_domain = {{ right }}.email_domain
    and {{ left }}.local_digits = {{ right }}.local_digits
    and {{ left }}.email_key <> {{ right }}.email_key
    and {{ edit_distance(left ~ '.local_part', right ~ '.local_part') }} <= {{ var('identity_email_edits', 2) }}
    and {{ edit_distance(left ~ '.name_key', right ~ '.name_key') }} <= {{ var('identity_name_edits', 1) }}
{%- endmacro %}
