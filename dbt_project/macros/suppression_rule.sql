{#- The one rule for "which suppression is in effect": the marts use these macros, and the
    send gate, its opening check and the review import render the same file in Python
    (assets/suppression_rule.py), so the two can never disagree. Plain Jinja only. -#}

{#- In effect from its own date, for every run date on or after it. -#}
{% macro suppression_in_effect(effective_at, as_of) -%}
    (cast({{ effective_at }} as date) <= {{ as_of }})
{%- endmacro %}

{#- Whether a suppression of `scope` / `scope_value` applies to a campaign on `channel` for
    `client_id`: global everywhere, channel on that channel, client in that client's campaigns. -#}
{% macro suppression_applies(scope, scope_value, channel, client_id) -%}
    (
        {{ scope }} = 'global'
        or ({{ scope }} = 'channel' and {{ scope_value }} = {{ channel }})
        or ({{ scope }} = 'client' and {{ scope_value }} = {{ client_id }})
    )
{%- endmacro %}

{#- A domain suppression covers the domain and every subdomain of it (uk.acme.example is
    acme.example's): doubt widens a suppression, never narrows it. -#}
{% macro suppression_covers_domain(domain, suppressed_domain) -%}
    ({{ domain }} = {{ suppressed_domain }} or {{ domain }} like ('%.' || {{ suppressed_domain }}))
{%- endmacro %}
