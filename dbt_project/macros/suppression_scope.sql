{#- Whether a suppression of `scope` / `scope_value` applies to a campaign on `channel` for
    `client_id`: global everywhere, channel on that channel, client in that client's campaigns. -#}
{% macro suppression_applies(scope, scope_value, channel, client_id) -%}
    (
        {{ scope }} = 'global'
        or ({{ scope }} = 'channel' and {{ scope_value }} = {{ channel }})
        or ({{ scope }} = 'client' and {{ scope_value }} = {{ client_id }})
    )
{%- endmacro %}
