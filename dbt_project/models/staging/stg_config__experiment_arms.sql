with source as (
    select * from {{ source('config', 'experiment_arms') }}
),

final as (
    select
        campaign_id,
        experiment_id,
        cast(step as integer) as step,
        hypothesis,
        primary_metric,
        cast(significance_level as double precision) as significance_level,
        cast(z_critical as double precision) as z_critical,
        cast(min_sample_per_arm as integer) as min_sample_per_arm,
        arm_id,
        cast(arm_order as integer) as arm_order,
        is_control,
        cast(weight as integer) as weight,
        cast(bucket_from as integer) as bucket_from,
        cast(bucket_to as integer) as bucket_to,
        cast(total_weight as integer) as total_weight,
        cta_id,
        cast(wait_days as integer) as wait_days,
        changes,
        config_version
    from source
)

select * from final
