{{ config(tags=['after_drafting']) }}
-- One row per experiment x arm: sample size (prospects sent the split step in the arm),
-- reply, positive-reply and qualified-booking rates with Wilson confidence intervals at
-- the experiment's level, and each compared with the control (the first arm) by a
-- two-proportion z-test: difference, p-value, significant or not. The verdict names a
-- winner only when both the arm and the control reached min_sample_per_arm and the
-- primary metric differs significantly; too small a sample says so. The arms differ only
-- in CTA, purpose wording or timing: claims and send authority are never in a variant.
{%- set metrics = [('reply', 'replied'), ('positive_reply', 'replied_positively'), ('qualified_booking', 'booked_qualified')] %}
with arms as (
    select * from {{ ref('stg_config__experiment_arms') }}
),

outcomes as (
    select * from {{ ref('int_experiment_outcomes') }}
),

counts as (
    select
        arms.campaign_id,
        arms.experiment_id,
        arms.arm_id,
        arms.arm_order,
        arms.is_control,
        arms.changes,
        arms.hypothesis,
        arms.primary_metric,
        arms.significance_level,
        arms.z_critical,
        arms.min_sample_per_arm,
        count(outcomes.prospect_id) as sample_size
        {%- for name, column in metrics %}
            ,
            coalesce(sum(outcomes.{{ column }}), 0) as {{ name }}_count
    
        {%- endfor %}
    from arms
    left join outcomes
        on arms.experiment_id = outcomes.experiment_id and arms.arm_id = outcomes.arm_id
    group by
        arms.campaign_id, arms.experiment_id, arms.arm_id, arms.arm_order, arms.is_control,
        arms.changes, arms.hypothesis, arms.primary_metric, arms.significance_level, arms.z_critical,
        arms.min_sample_per_arm
),

compared as (
    select
        arm.*,
        control.arm_id as control_arm_id,
        control.sample_size as control_sample_size
        {%- for name, column in metrics %}
            ,
            control.{{ name }}_count as control_{{ name }}_count,
            {{ two_proportion_z('arm.' ~ name ~ '_count', 'arm.sample_size', 'control.' ~ name ~ '_count', 'control.sample_size') }}
                as {{ name }}_z
    
        {%- endfor %}
    from counts as arm
    inner join counts as control
        on arm.experiment_id = control.experiment_id and control.is_control
),

stats as (
    select
        compared.*,
        compared.sample_size >= compared.min_sample_per_arm
        and compared.control_sample_size >= compared.min_sample_per_arm as has_enough_sample
        {%- for name, column in metrics %}
            ,
            {{ ratio(name ~ '_count', 'sample_size') }} as {{ name }}_rate,
            {{ wilson_bound(name ~ '_count', 'sample_size', 'z_critical', '-') }} as {{ name }}_ci_low,
            {{ wilson_bound(name ~ '_count', 'sample_size', 'z_critical', '+') }} as {{ name }}_ci_high,
            {{ ratio(name ~ '_count', 'sample_size') }}
            - {{ ratio('control_' ~ name ~ '_count', 'control_sample_size') }} as {{ name }}_difference,
            case when not compared.is_control then {{ two_sided_p(name ~ '_z') }} end as {{ name }}_p_value
    
        {%- endfor %}
    from compared
),

judged as (
    select
        stats.*
        {%- for name, column in metrics %}
            ,
            coalesce(not stats.is_control and {{ name }}_p_value < stats.significance_level, false) as {{ name }}_significant
        
        {%- endfor %},
        case stats.primary_metric
            {%- for name, column in metrics %}
                when '{{ name }}_rate' then {{ name }}_p_value
            {%- endfor %}
        end as primary_p_value,
        case stats.primary_metric
            {%- for name, column in metrics %}
                when '{{ name }}_rate' then {{ name }}_difference
            {%- endfor %}
        end as primary_difference
    from stats
),

final as (
    select
        judged.*,
        case
            when judged.is_control then 'control'
            when not judged.has_enough_sample
                then
                    'too small a sample to name a winner: ' || cast(judged.sample_size as varchar) || ' in this arm and '
                    || cast(judged.control_sample_size as varchar) || ' in the control, '
                    || cast(judged.min_sample_per_arm as varchar) || ' needed in each'
            when judged.primary_p_value < judged.significance_level and judged.primary_difference > 0
                then
                    'better than the control on ' || judged.primary_metric || ' (p = ' || {{ rounded_text('primary_p_value', 4) }} || ')'
            when judged.primary_p_value < judged.significance_level and judged.primary_difference < 0
                then
                    'worse than the control on ' || judged.primary_metric || ' (p = ' || {{ rounded_text('primary_p_value', 4) }} || ')'
            else
                'no significant difference from the control on ' || judged.primary_metric
                || coalesce(' (p = ' || {{ rounded_text('primary_p_value', 4) }} || ')', '')
        end as verdict,
        not judged.is_control
        and judged.has_enough_sample
        and judged.primary_p_value < judged.significance_level
        and judged.primary_difference > 0 as is_winner
    from judged
)

select * from final
