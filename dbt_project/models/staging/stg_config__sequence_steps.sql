with source as (
    select * from {{ source('config', 'sequence_steps') }}
),

final as (
    select
        sequence_id,
        cast(step as integer) as step,
        message_type,
        purpose,
        cast(wait_days as integer) as wait_days,
        cast(max_steps as integer) as max_steps,
        is_final_step,
        config_version
    from source
)

select * from final
