{#- The send authorities allowed to do something (may_draft or may_send), as a subquery:
    the one home of that list is the send_authorities seed (Python reads the same file). -#}
{% macro send_authorities_that(permission) -%}
    (select authorities.send_authority from {{ ref('send_authorities') }} as authorities where authorities.{{ permission }})
{%- endmacro %}
