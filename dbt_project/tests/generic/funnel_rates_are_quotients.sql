{#- Every funnel rate of `model` is its counts' quotient (funnel_rate_definitions): null
    exactly when the denominator is zero, equal to numerator / denominator computed here
    independently, and, with `shares_bounded`, a share in [0, 1] where it is one. A
    missing bracket in a rate (`shows / shows + no_shows`) fails this. A grain that counts
    each event on its own day (funnel_daily) is not bounded: today's replies may answer
    yesterday's sends. -#}
{% test funnel_rates_are_quotients(model, shares_bounded=true) %}
{%- for name, numerator, denominator, is_share in funnel_rate_definitions() %}
select
    '{{ name }}' as rate_column,
    {{ name }} as rate,
    {{ numerator }} as numerator,
    {{ denominator }} as denominator
from {{ model }}
where
    ({{ name }} is null) <> (coalesce({{ denominator }}, 0) <= 0)
    or abs({{ name }} - ({{ numerator }}) * 1.0 / nullif({{ denominator }}, 0)) > 1e-9
    {%- if is_share and shares_bounded %}
    or {{ name }} < 0 or {{ name }} > 1
    {%- endif %}
{{ 'union all' if not loop.last }}
{%- endfor %}
{% endtest %}
