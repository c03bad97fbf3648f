-- One row per human reply that gets a governed response draft today: the latest human
-- reply of a prospect x campaign when it is Interested, a Question or an Objection the
-- classifier is sure of, threaded to an email we wrote, in a campaign that may draft, to
-- a person who is not suppressed and never opted out or complained; an Interested reply
-- only when the check before booking holds (reply_tasks.booking_checklist_missing). Drafting answers it
-- (assets/drafting/responses.py) with an approved answer or the offer's booking CTA; a
-- reply no approved answer fits stays its owner's task (marts.reply_tasks).
with tasks as (
    select * from {{ ref('reply_tasks') }}
    where prospect_id is not null and campaign_id is not null
),

latest as (
    select
        tasks.*,
        row_number() over (
            partition by tasks.prospect_id, tasks.campaign_id
            order by tasks.received_at desc, tasks.message_hash desc
        ) as reply_rank
    from tasks
),

messages as (
    select
        content_hash,
        message_id
    from {{ ref('stg_inbound__messages') }}
),

stopped as (
    select distinct prospect_id from {{ ref('stg_inbound__messages') }}
    where creates_suppression and prospect_id is not null
),

campaigns as (
    select * from {{ ref('stg_config__campaigns') }}
),

prospects as (
    select * from {{ ref('prospects') }}
),

originals as (
    select
        communication_id,
        max(evidence_id) as evidence_id
    from {{ ref('stg_send__records') }}
    group by communication_id
),

final as (
    select
        latest.task_id,
        latest.message_hash,
        latest.prospect_id,
        latest.campaign_id,
        campaigns.offer_id,
        latest.reply_class,
        latest.reply_text,
        latest.thread_communication_id,
        latest.thread_subject,
        latest.sender as recipient,
        messages.message_id as reply_message_id,
        prospects.first_name,
        prospects.company_name,
        originals.evidence_id,
        latest.received_at
    from latest
    inner join campaigns on latest.campaign_id = campaigns.campaign_id
    inner join prospects on latest.prospect_id = prospects.prospect_id
    left join originals on latest.thread_communication_id = originals.communication_id
    left join messages on latest.message_hash = messages.content_hash
    left join stopped on latest.prospect_id = stopped.prospect_id
    where
        latest.reply_rank = 1
        and latest.reply_class in ('Interested', 'Question', 'Objection')
        -- a booking link only when the check before booking holds
        and (latest.reply_class <> 'Interested' or latest.booking_checklist_missing is null)
        and not latest.is_doubtful
        and latest.sender is not null
        and campaigns.channel = 'email'
        and campaigns.send_authority in {{ send_authorities_that('may_draft') }}
        and not prospects.is_suppressed
        and stopped.prospect_id is null
)

select * from final
