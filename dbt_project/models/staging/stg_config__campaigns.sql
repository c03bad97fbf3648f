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
        sender_postal_address,
        cast(sender_unsubscribe_email as varchar) as sender_unsubscribe_email,
        cast(sender_unsubscribe_url as varchar) as sender_unsubscribe_url,
        daily_cap,
        per_domain_daily_cap,
        approval_valid_days,
        park_review_days,
        proposal_follow_up_days,
        proposal_follow_ups,
        is_reactivation,
        reactivate_not_now,
        cast(reactivate_closed_lost_after_days as integer) as reactivate_closed_lost_after_days,
        proposal_valid_days,
        cast(cost_per_message as double precision) as cost_per_message,
        pilot_pilot_size as pilot_size,
        pilot_min_approval_rate,
        pilot_max_edit_rate,
        pilot_max_bounce_rate,
        pilot_max_complaint_rate,
        pilot_min_positive_reply_rate,
        pilot_min_qualified_bookings,
        pilot_max_review_wait_days,
        deliverability_window_days,
        deliverability_max_bounce_rate,
        deliverability_max_complaint_rate,
        deliverability_never_complaint_rate,
        cast(review_queue_size as integer) as review_queue_size,
        config_version
    from source
)

select * from final
