with source as (
    select * from {{ source('config', 'reply_routing') }}
),

final as (
    select
        reply_class,
        owner,
        cast(respond_within_hours as integer) as respond_within_hours,
        cast(human_first_below as double precision) as human_first_below,
        first_reader,
        config_version
    from source
)

select * from final
