-- One row per inbound message with its class, threaded to a communication where it could be.
with source as (
    select * from {{ source('inbound', 'messages') }}
),

final as (
    select
        content_hash,
        message_id,
        received_on,
        received_at,
        sender,
        subject,
        reply_text,
        reply_class,
        confidence,
        second_opinion,
        next_action,
        creates_suppression,
        stops_sequence,
        stop_suspected,
        bounce_type,
        bounce_reason,
        return_on,
        review_on,
        referred_contact,
        feedback_type,
        communication_id,
        prospect_id,
        threaded_by,
        config_version,
        classifier_version
    from source
)

select * from final
