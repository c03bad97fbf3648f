with source as (
    select * from {{ source('config', 'channel_rules') }}
),

final as (
    select
        channel,
        automated_send,
        requires_consent,
        note,
        config_version
    from source
)

select * from final
