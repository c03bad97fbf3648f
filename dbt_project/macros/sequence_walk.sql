{#-
  The sequence state machine, as SQL: every prospect x campaign walks its events in
  time order through the resolved transition rules. Before each event, time may move
  the state first (a send's day passed, the next step's wait elapsed, a parked
  prospect's review date came, an approval expired). Carried along: the last step
  sent and when, the next step's due date (pushed by an out-of-office return date),
  the review date of a parked prospect and the expiry of an approval.

  One macro, used twice in a run: before drafting (which steps to draft) and after
  it (what the marts report), over the same event log.
-#}

{% macro sequence_pair_events() %}
    select
        pairs.prospect_id,
        pairs.campaign_id,
        events.event_id,
        events.event_type,
        events.event_at,
        events.event_on,
        events.source_system,
        events.evidence_ref,
        events.evidence_key,
        events.detail,
        events.reply_class,
        events.value,
        events.communication_id,
        events.step,
        case
            when events.event_type in ('reply_out_of_office')
                then coalesce(events.due_on, cast({{ dbt.dateadd('day', 7, 'events.event_on') }} as date))
            else events.due_on
        end as due_on,
        -- an experiment's timing arm changes the wait before the next step
        coalesce(next_arms.wait_days, next_steps.wait_days) as next_wait_days,
        row_number() over (
            partition by pairs.prospect_id, pairs.campaign_id
            order by events.event_at,
                case events.source_system
                    when 'drafting' then 1 when 'review' then 2 when 'send' then 3
                    when 'inbound' then 4 when 'crm' then 5 else 6 end,
                events.event_id
        ) as seq
    from {{ ref('int_sequence_pairs') }} as pairs
    inner join {{ ref('int_sequence_events') }} as events
        on events.prospect_id = pairs.prospect_id
        and (
            (events.applies_to = 'campaign' and events.campaign_id = pairs.campaign_id)
            or (
                events.applies_to = 'prospect'
                and {{ suppression_applies('events.scope', 'events.scope_value', 'pairs.channel', 'pairs.client_id') }}
                -- a reactivation pair: the paused conversation's facts are not its own
                and (pairs.facts_from is null or events.event_at >= pairs.facts_from)
            )
        )
    left join {{ ref('stg_config__sequence_steps') }} as next_steps
        on next_steps.sequence_id = pairs.sequence_id and next_steps.step = events.step + 1
    left join {{ ref('stg_config__experiment_arms') }} as next_arms
        on {{ experiment_arm_matches('next_arms', 'pairs.campaign_id', 'events.step + 1', 'pairs.prospect_id') }}
{% endmacro %}


{#- the time transition due before something happens on `on_date`, from the carried state -#}
{% macro sequence_time_event(state, on_date, approval_expires_on, next_due_on, last_sent_on, review_on) %}
    case
        when {{ state }} = 'Ready To Send' and {{ approval_expires_on }} < {{ on_date }} then 'approval_expired'
        when {{ state }} in ('Sent', 'Waiting') and {{ next_due_on }} <= {{ on_date }} then 'wait_elapsed'
        when {{ state }} = 'Sent' and {{ on_date }} > {{ last_sent_on }} then 'day_passed'
        when {{ state }} = 'Parked' and {{ review_on }} <= {{ on_date }} then 'review_due'
    end
{% endmacro %}


{% macro sequence_walk() %}
{%- set time_event = sequence_time_event('w.state_after', 'e.event_on', 'w.approval_expires_on', 'w.next_due_on', 'w.last_sent_on', 'w.review_on') -%}
with recursive pair_events as (
    {{ sequence_pair_events() }}
),

rules as (
    {{ transition_rules() }}
),

walk (
    prospect_id, campaign_id, seq, event_id, event_type, event_at, event_on, source_system,
    evidence_ref, evidence_key, detail, reply_class, value, communication_id, step,
    state_before, time_event, state_elapsed, state_after, is_allowed,
    last_sent_step, last_sent_on, next_due_on, review_on, approval_expires_on, due_before
) as (
    select
        e.prospect_id, e.campaign_id, e.seq, e.event_id, e.event_type, e.event_at, e.event_on, e.source_system,
        e.evidence_ref, e.evidence_key, e.detail, e.reply_class, e.value, e.communication_id, e.step,
        cast('Not Started' as varchar),
        cast(null as varchar),
        cast('Not Started' as varchar),
        cast(coalesce(r.to_state, 'Not Started') as varchar),
        r.to_state is not null,
        case when e.event_type in ('sent', 'closeout_sent') then e.step end,
        case when e.event_type in ('sent', 'closeout_sent') then e.event_on end,
        case when e.event_type = 'sent' then cast({{ dbt.dateadd('day', 'e.next_wait_days', 'e.event_on') }} as date) end,
        case when r.to_state = 'Parked' then e.due_on end,
        case when e.event_type = 'approved' then e.due_on end,
        cast(null as date)
    from pair_events as e
    left join rules as r on r.from_state = 'Not Started' and r.event_type = e.event_type
    where e.seq = 1

    union all

    -- flat joins: PostgreSQL allows no recursive reference inside a subquery
    select
        e.prospect_id, e.campaign_id, e.seq, e.event_id, e.event_type, e.event_at, e.event_on, e.source_system,
        e.evidence_ref, e.evidence_key, e.detail, e.reply_class, e.value, e.communication_id, e.step,
        w.state_after,
        {{ time_event }},
        coalesce(rt.to_state, w.state_after),
        cast(
            case
                -- resuming (or waiting) with nothing sent yet is back at the start
                when coalesce(r.to_state, rt.to_state, w.state_after) = 'Waiting' and w.last_sent_step is null
                    and e.event_type not in ('sent', 'closeout_sent') then 'Not Started'
                else coalesce(r.to_state, rt.to_state, w.state_after)
            end as varchar
        ),
        r.to_state is not null,
        case when e.event_type in ('sent', 'closeout_sent') then e.step else w.last_sent_step end,
        case when e.event_type in ('sent', 'closeout_sent') then e.event_on else w.last_sent_on end,
        case
            when e.event_type = 'sent' then cast({{ dbt.dateadd('day', 'e.next_wait_days', 'e.event_on') }} as date)
            when e.event_type in ('reply_out_of_office', 'bounce_soft') and r.to_state = 'Waiting'
                then greatest(coalesce(w.next_due_on, e.due_on), coalesce(e.due_on, w.next_due_on))
            else w.next_due_on
        end,
        case
            when coalesce(r.to_state, rt.to_state, w.state_after) <> 'Parked' then null
            when r.to_state = 'Parked' then e.due_on
            else w.review_on
        end,
        case
            when e.event_type = 'approved' then e.due_on
            when e.event_type = 'drafted' then null
            else w.approval_expires_on
        end,
        w.next_due_on
    from walk as w
    inner join pair_events as e
        on e.prospect_id = w.prospect_id and e.campaign_id = w.campaign_id and e.seq = w.seq + 1
    left join rules as rt on rt.from_state = w.state_after and rt.event_type = {{ time_event }}
    left join rules as r on r.from_state = coalesce(rt.to_state, w.state_after) and r.event_type = e.event_type
)

select * from walk
{% endmacro %}
