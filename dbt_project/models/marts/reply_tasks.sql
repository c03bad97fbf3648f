-- One row per human reply received up to the run date (every class the Reply Action Map
-- marks creates_task: not a bounce, not an out-of-office): a task for the person who
-- answers it, with the reply's own words, its thread, class, confidence, risk, the
-- recommended action and when it is due (the class's response time from the reply's
-- arrival, config/replies.yml over the seed). A reply the classifier doubts (Unknown, or
-- confidence below the configured line) is routed to the first reader before anyone
-- answers it. A Referral's task is to verify the person it names (referred_contact)
-- before anyone contacts them. The review export lists these beside the queue; drafting
-- reads them for governed response drafts (marts.response_candidates).
with messages as (
    select * from {{ ref('stg_inbound__messages') }}
    where received_on <= {{ as_of() }}
),

actions as (
    select * from {{ ref('reply_actions') }}
    where creates_task
),

routing as (
    select * from {{ ref('stg_config__reply_routing') }}
),

threads as (
    select
        communication_id,
        max(campaign_id) as campaign_id,
        max(subject) as thread_subject
    from {{ ref('stg_drafting__draft_history') }}
    group by communication_id
),

campaigns as (
    select * from {{ ref('stg_config__campaigns') }}
),

prospects as (
    select * from {{ ref('prospects') }}
),

qualified as (
    select distinct
        prospect_id,
        offer_id
    from {{ ref('int_prospect_offers_qualified') }}
    where priority in ('Priority One', 'Priority Two', 'Priority Three')
),

replies as (
    select
        messages.*,
        threads.campaign_id,
        threads.thread_subject,
        campaigns.offer_id,
        campaigns.campaign_owner,
        actions.description as recommended_action,
        routing.respond_within_hours,
        routing.first_reader,
        coalesce(messages.received_at, cast(messages.received_on as timestamp)) as arrived_at,
        case
            when routing.owner = 'campaign owner' then coalesce(campaigns.campaign_owner, routing.first_reader)
            else routing.owner
        end as answered_by,
        (messages.reply_class = 'Unknown' or messages.confidence < routing.human_first_below) as is_doubtful
    from messages
    inner join actions on messages.reply_class = actions.reply_class
    inner join routing on messages.reply_class = routing.reply_class
    left join threads on messages.communication_id = threads.communication_id
    left join campaigns on threads.campaign_id = campaigns.campaign_id
),

final as (
    select
        'tk_reply_' || left(replies.content_hash, 20) as task_id,
        replies.content_hash as message_hash,
        replies.prospect_id,
        replies.campaign_id,
        trim(coalesce(prospects.first_name, '') || ' ' || coalesce(prospects.last_name, '')) as prospect_name,
        prospects.company_name,
        replies.sender,
        replies.reply_class,
        replies.confidence,
        replies.second_opinion,
        case
            -- an opt-out or complaint the rules see, or the model reads (contact is held)
            when replies.reply_class in ('Unsubscribe', 'Complaint') then 'high'
            when replies.second_opinion in ('Unsubscribe', 'Complaint') then 'high'
            when replies.stop_suspected then 'high'
            when replies.is_doubtful or replies.reply_class in ('Objection', 'Referral') then 'medium'
            else 'low'
        end as risk,
        replies.is_doubtful,
        case when replies.is_doubtful then replies.first_reader else replies.answered_by end as routed_to,
        replies.answered_by,
        replies.next_action,
        replies.recommended_action,
        replies.subject as reply_subject,
        replies.reply_text,
        replies.referred_contact,
        replies.communication_id as thread_communication_id,
        replies.thread_subject,
        replies.threaded_by,
        replies.arrived_at as received_at,
        -- the framework's check before booking (Appointment And Sales Action Layer) for an
        -- Interested reply: what is not confirmed. Interest is the reply; the offer is the
        -- meeting's purpose; availability and the calendar's result come with the booking.
        case
            when replies.reply_class = 'Interested'
                then nullif(concat_ws(
                    ', ',
                    case
                        when coalesce(prospects.identity_status, 'unknown') not in ('Verified', 'Probable')
                            then 'identity ' || coalesce(prospects.identity_status, 'unknown')
                    end,
                    case when qualified.prospect_id is null then 'basic fit (not qualified for the offer)' end,
                    case when prospects.country is null then 'time zone (no country known)' end,
                    case when replies.sender is null then 'contact details' end,
                    case when replies.campaign_owner is null then 'sales owner (no campaign)' end
                ), '')
        end as booking_checklist_missing,
        replies.respond_within_hours,
        {{ dbt.dateadd('hour', 'replies.respond_within_hours', 'replies.arrived_at') }} as due_at,
        {{ dbt.dateadd('hour', 'replies.respond_within_hours', 'replies.arrived_at') }} < cast({{ as_of() }} as timestamp) as is_overdue
    from replies
    left join prospects on replies.prospect_id = prospects.prospect_id
    left join qualified on replies.prospect_id = qualified.prospect_id and replies.offer_id = qualified.offer_id
)

select * from final
