with source as (
    select * from {{ source('config', 'campaigns') }}
),

final as (
    select
        campaign_id,
        name as campaign_name,
        cast(client_id as varchar) as client_id,
        min_gap_seconds,
        send_window,
        pilot_gate,
        offer_id,
        audience,
        sequence_id,
        channel,
        send_authority,
        owner as campaign_owner,
        sender_name,
        sender_email,
        daily_cap,
        per_domain_daily_cap,
        approval_valid_days,
        config_version
    from source
)

select * from final
