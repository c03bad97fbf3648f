-- One row per suppressed prospect x scope: any of its addresses, domains or numbers
-- is named by a suppression in effect. Scope global suppresses the prospect
-- everywhere; channel suppresses one channel (scope_value); client suppresses the
-- campaigns run for one client (scope_value). Suppression overrides every score,
-- campaign and decision.
with records as (
    select * from {{ ref('int_lead_records_resolved') }}
),

suppressed as (
    select * from {{ ref('int_suppressions_current') }}
),

-- a record names the suppressed key: its address, either of its domains, its number
{%- set named_by = {
    'email': "records.email_address_key = suppressed.suppressed_key",
    'domain': "(" ~ suppression_covers_domain('records.email_domain', 'suppressed.suppressed_key')
        ~ " or " ~ suppression_covers_domain('records.company_domain', 'suppressed.suppressed_key') ~ ")",
    'phone': "records.phone_e164 = suppressed.suppressed_key",
} %}
matches as (
    {%- for key_type, condition in named_by.items() %}
        {{ 'union all' if not loop.first }}
        select
            records.prospect_id,
            suppressed.scope,
            suppressed.scope_value,
            suppressed.reason,
            suppressed.suppressed_at,
            suppressed.first_suppression_ref,
            '{{ key_type }}' as matched_on
        from records
        inner join suppressed
            on suppressed.key_type = '{{ key_type }}' and {{ condition }}
    {%- endfor %}
),

final as (
    select
        prospect_id,
        scope,
        coalesce(scope_value, '') as scope_value,
        min(suppressed_at) as suppressed_at,
        min(reason) as suppression_reason,
        min(matched_on) as suppressed_by,
        min(first_suppression_ref) as suppression_ref
    from matches
    group by prospect_id, scope, coalesce(scope_value, '')
)

select * from final
