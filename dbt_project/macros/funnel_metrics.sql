{#-
  The framework's Measurement And Experimentation Layer as columns. Counts are summed
  (so analysts can re-aggregate over any grain); rates are always computed from the
  counts of the same row, never averaged.
-#}



{% macro funnel_count_columns() -%}
    {{ return([
    'drafts_created', 'messages_approved', 'human_edits', 'reviewer_rejections', 'review_decisions',
    'messages_sent', 'followups_sent', 'followups_on_time', 'send_failures',
    'hard_bounces', 'soft_bounces', 'complaints', 'unsubscribes',
    'replies', 'positive_replies', 'questions', 'objections', 'not_now', 'not_a_fit', 'referrals',
    'unknown_replies', 'out_of_office', 'reply_corrections', 'qualified_conversations',
    'appointment_proposals', 'bookings', 'qualified_bookings', 'shows', 'no_shows',
    'proposals', 'wins', 'losses', 'revenue', 'sales_cycle_days', 'cost'
]) }}
{%- endmacro %}

{% macro funnel_sums(prefix='') -%}
    {%- for c in funnel_count_columns() %}
        cast(sum({{ prefix }}{{ c }}) as {{ dbt.type_float() if c in ('revenue', 'cost') else dbt.type_bigint() }}) as {{ c }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{% macro ratio(numerator, denominator) -%}
    case when {{ denominator }} > 0 then cast({{ numerator }} as double precision) / {{ denominator }} end
{%- endmacro %}

{% macro funnel_rates() -%}
        {{ ratio('messages_sent - hard_bounces - soft_bounces', 'messages_sent') }} as delivery_rate,
        {{ ratio('hard_bounces + soft_bounces', 'messages_sent') }} as bounce_rate,
        {{ ratio('complaints', 'messages_sent') }} as complaint_rate,
        {{ ratio('unsubscribes', 'messages_sent') }} as unsubscribe_rate,
        {{ ratio('replies', 'messages_sent') }} as reply_rate,
        {{ ratio('positive_replies', 'messages_sent') }} as positive_reply_rate,
        {{ ratio('questions', 'messages_sent') }} as question_rate,
        {{ ratio('objections', 'messages_sent') }} as objection_rate,
        {{ ratio('qualified_conversations', 'messages_sent') }} as qualified_conversation_rate,
        {{ ratio('appointment_proposals', 'messages_sent') }} as appointment_proposal_rate,
        {{ ratio('bookings', 'messages_sent') }} as booking_rate,
        {{ ratio('qualified_bookings', 'bookings') }} as qualified_booking_rate,
        {{ ratio('shows', 'shows + no_shows') }} as show_rate,
        {{ ratio('proposals', 'qualified_conversations') }} as proposal_rate,
        {{ ratio('wins', 'wins + losses') }} as close_rate,
        {{ ratio('sales_cycle_days', 'wins') }} as sales_cycle_days_avg,
        {{ ratio('cost', 'qualified_conversations') }} as cost_per_qualified_conversation,
        {{ ratio('cost', 'bookings') }} as cost_per_appointment,
        {{ ratio('cost', 'wins') }} as cost_per_client,
        {{ ratio('human_edits', 'messages_approved') }} as human_edit_rate,
        {{ ratio('messages_approved', 'review_decisions') }} as approval_rate,
        {{ ratio('replies + out_of_office + hard_bounces + soft_bounces - reply_corrections', 'replies + out_of_office + hard_bounces + soft_bounces') }} as reply_classification_accuracy,
        {{ ratio('followups_on_time', 'followups_sent') }} as follow_up_timing_accuracy
{%- endmacro %}


{#- a group's reviewer decisions: all, approvals (edited or not), edits, rejections -#}
{% macro review_decision_counts(decision='decision') -%}
    count(*) as decisions,
    sum(case when {{ decision }} in ('Approve', 'Edit And Approve') then 1 else 0 end) as approvals,
    sum(case when {{ decision }} = 'Edit And Approve' then 1 else 0 end) as edits,
    sum(case when {{ decision }} = 'Reject' then 1 else 0 end) as rejections
{%- endmacro %}
