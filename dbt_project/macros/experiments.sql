{#-
  Controlled experiments: which arm a prospect is in, and the statistics that compare
  an arm with the control, as portable SQL.
-#}

{#- a stable bucket in [0, modulus) from md5(experiment_id | prospect_id): the same on
    every run and every warehouse, so a prospect never changes arm -#}
{% macro experiment_bucket(experiment_id, prospect_id, modulus) -%}
    {{ return(adapter.dispatch('experiment_bucket')(experiment_id, prospect_id, modulus)) }}
{%- endmacro %}

{% macro default__experiment_bucket(experiment_id, prospect_id, modulus) -%}
    (cast(('x' || substr(md5({{ experiment_id }} || '|' || {{ prospect_id }}), 1, 8)) as bit(32)) :: bigint % {{ modulus }})
{%- endmacro %}

{% macro duckdb__experiment_bucket(experiment_id, prospect_id, modulus) -%}
    (cast(('0x' || substr(md5({{ experiment_id }} || '|' || {{ prospect_id }}), 1, 8)) as bigint) % {{ modulus }})
{%- endmacro %}


{#- the arm of a prospect for a campaign's step: join config arms on this -#}
{% macro experiment_arm_matches(arms, campaign_id, step, prospect_id) -%}
    {{ arms }}.campaign_id = {{ campaign_id }}
    and {{ arms }}.step = {{ step }}
    and {{ experiment_bucket(arms ~ '.experiment_id', prospect_id, arms ~ '.total_weight') }} >= {{ arms }}.bucket_from
    and {{ experiment_bucket(arms ~ '.experiment_id', prospect_id, arms ~ '.total_weight') }} < {{ arms }}.bucket_to
{%- endmacro %}


{#- Wilson score interval of successes / n at critical value z: low or high bound -#}
{% macro wilson_bound(successes, n, z, sign) -%}
    case when {{ n }} > 0 then
        (
            (cast({{ successes }} as double precision) / {{ n }}) + {{ z }} * {{ z }} / (2.0 * {{ n }})
            {{ sign }} {{ z }} * sqrt(
                (cast({{ successes }} as double precision) / {{ n }}) * (1 - cast({{ successes }} as double precision) / {{ n }}) / {{ n }}
                + {{ z }} * {{ z }} / (4.0 * {{ n }} * {{ n }})
            )
        ) / (1 + {{ z }} * {{ z }} / {{ n }})
    end
{%- endmacro %}


{#- two-proportion z statistic (pooled), arm minus control; null when undefined -#}
{% macro two_proportion_z(x1, n1, x0, n0) -%}
    case
        when {{ n1 }} > 0 and {{ n0 }} > 0
            and ({{ x1 }} + {{ x0 }}) > 0 and ({{ x1 }} + {{ x0 }}) < ({{ n1 }} + {{ n0 }})
        then
            (cast({{ x1 }} as double precision) / {{ n1 }} - cast({{ x0 }} as double precision) / {{ n0 }})
            / sqrt(
                (cast({{ x1 }} + {{ x0 }} as double precision) / ({{ n1 }} + {{ n0 }}))
                * (1 - cast({{ x1 }} + {{ x0 }} as double precision) / ({{ n1 }} + {{ n0 }}))
                * (1.0 / {{ n1 }} + 1.0 / {{ n0 }})
            )
    end
{%- endmacro %}


{#- two-sided p-value of a standard normal z: 1 - erf(|z| / sqrt 2), by Abramowitz and
    Stegun 7.1.26 (absolute error under 1.5e-7), from exp and arithmetic only -#}
{% macro two_sided_p(z) -%}
    case when {{ z }} is not null then
        (
            0.254829592 * (1.0 / (1 + 0.3275911 * abs({{ z }}) / sqrt(2.0)))
            - 0.284496736 * power(1.0 / (1 + 0.3275911 * abs({{ z }}) / sqrt(2.0)), 2)
            + 1.421413741 * power(1.0 / (1 + 0.3275911 * abs({{ z }}) / sqrt(2.0)), 3)
            - 1.453152027 * power(1.0 / (1 + 0.3275911 * abs({{ z }}) / sqrt(2.0)), 4)
            + 1.061405429 * power(1.0 / (1 + 0.3275911 * abs({{ z }}) / sqrt(2.0)), 5)
        ) * exp(-({{ z }} * {{ z }}) / 2.0)
    end
{%- endmacro %}
