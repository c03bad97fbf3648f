-- Retention (data-subject rights): one row per prospect whose last activity (a lead
-- record captured or ingested, a draft, decision, send, reply, suppression or business
-- event) is older than the configured retention period on the run date. The next daily
-- run pseudonymises them; a suppressed person keeps only the hash of their address, so
-- they stay suppressed.
with records as (
    select
        prospect_id,
        max(greatest(cast(captured_on as date), cast(ingested_on as date))) as last_record_on
    from {{ ref('int_lead_records_resolved') }}
    group by prospect_id
),

events as (
    select
        prospect_id,
        max(event_on) as last_event_on
    from {{ ref('int_sequence_events') }}
    group by prospect_id
),

suppressed as (
    select distinct prospect_id from {{ ref('int_prospects_suppressed') }}
),

settings as (
    select retention_inactive_days from {{ ref('stg_config__privacy_settings') }}
),

activity as (
    select
        records.prospect_id,
        greatest(records.last_record_on, coalesce(events.last_event_on, records.last_record_on)) as last_activity_on,
        suppressed.prospect_id is not null as is_suppressed
    from records
    left join events on records.prospect_id = events.prospect_id
    left join suppressed on records.prospect_id = suppressed.prospect_id
),

final as (
    select
        activity.prospect_id,
        activity.last_activity_on,
        activity.is_suppressed,
        settings.retention_inactive_days,
        {{ dbt.datediff('activity.last_activity_on', as_of(), 'day') }} as inactive_days
    from activity
    cross join settings
    where activity.last_activity_on < cast({{ dbt.dateadd('day', '-settings.retention_inactive_days', as_of()) }} as date)
)

select * from final
