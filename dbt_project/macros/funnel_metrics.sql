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

{#- numerator / denominator, null when there is nothing to divide by. Both are bracketed:
    `shows / shows + no_shows` is not a rate. -#}
{% macro ratio(numerator, denominator) -%}
    case when ({{ denominator }}) > 0 then cast(({{ numerator }}) as double precision) / ({{ denominator }}) end
{%- endmacro %}

{#- The funnel's rates: (column, numerator, denominator, is a share in [0, 1]). One home:
    funnel_rates() computes them, tests/assert_funnel_rates_are_quotients.sql checks every
    funnel mart against them. -#}
{% macro funnel_rate_definitions() -%}
    {{ return([
        ('delivery_rate', 'messages_sent - hard_bounces - soft_bounces', 'messages_sent', true),
        ('bounce_rate', 'hard_bounces + soft_bounces', 'messages_sent', true),
        ('complaint_rate', 'complaints', 'messages_sent', true),
        ('unsubscribe_rate', 'unsubscribes', 'messages_sent', true),
        ('reply_rate', 'replies', 'messages_sent', true),
        ('positive_reply_rate', 'positive_replies', 'messages_sent', true),
        ('question_rate', 'questions', 'messages_sent', true),
        ('objection_rate', 'objections', 'messages_sent', true),
        ('qualified_conversation_rate', 'qualified_conversations', 'messages_sent', true),
        ('appointment_proposal_rate', 'appointment_proposals', 'messages_sent', true),
        ('booking_rate', 'bookings', 'messages_sent', true),
        ('qualified_booking_rate', 'qualified_bookings', 'bookings', true),
        ('show_rate', 'shows', 'shows + no_shows', true),
        ('proposal_rate', 'proposals', 'qualified_conversations', true),
        ('close_rate', 'wins', 'wins + losses', true),
        ('sales_cycle_days_avg', 'sales_cycle_days', 'wins', false),
        ('cost_per_qualified_conversation', 'cost', 'qualified_conversations', false),
        ('cost_per_appointment', 'cost', 'bookings', false),
        ('cost_per_client', 'cost', 'wins', false),
        ('human_edit_rate', 'human_edits', 'messages_approved', true),
        ('approval_rate', 'messages_approved', 'review_decisions', true),
        ('reply_classification_accuracy', 'replies + out_of_office + hard_bounces + soft_bounces - reply_corrections', 'replies + out_of_office + hard_bounces + soft_bounces', true),
        ('follow_up_timing_accuracy', 'followups_on_time', 'followups_sent', true),
    ]) }}
{%- endmacro %}

{% macro funnel_rates() -%}
    {%- for name, numerator, denominator, _ in funnel_rate_definitions() %}
        {{ ratio(numerator, denominator) }} as {{ name }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}


{#- a group's reviewer decisions: all, approvals (edited or not), edits, rejections -#}
{% macro review_decision_counts(decision='decision') -%}
    count(*) as decisions,
    sum(case when {{ decision }} in ('Approve', 'Edit And Approve') then 1 else 0 end) as approvals,
    sum(case when {{ decision }} = 'Edit And Approve' then 1 else 0 end) as edits,
    sum(case when {{ decision }} = 'Reject' then 1 else 0 end) as rejections
{%- endmacro %}
