-- One row per suppressed prospect x scope: any of its addresses, domains or numbers
-- is named by a suppression in effect. Scope global suppresses the prospect
-- everywhere; channel suppresses one channel (scope_value); client suppresses the
-- campaigns run for one client (scope_value). Suppression overrides every score,
-- campaign and decision.
with recursive records as (
    select * from {{ ref('int_lead_records_resolved') }}
),

suppressed as (
    select * from {{ ref('int_suppressions_current') }}
),

-- each of a record's domains with every domain it is under (uk.acme.example:
-- acme.example, example), so a suppressed domain is found by an equal key (a join on
-- "equal or ends with" cannot use a hash: 25 s at 1M leads)
record_domains as (
    select
        prospect_id,
        email_domain as domain,
        email_domain as parent
    from records
    where email_domain is not null
    union
    select
        prospect_id,
        company_domain as domain,
        company_domain as parent
    from records
    where company_domain is not null
    union all
    select
        prospect_id,
        domain,
        substr(parent, strpos(parent, '.') + 1) as parent
    from record_domains
    where strpos(parent, '.') > 0
),

-- a record names the suppressed key: its address, either of its domains (or a domain
-- they are under: the rule's macro judges), its number
{%- set named_by = {
    'email': ['records', "records.email_address_key = suppressed.suppressed_key"],
    'domain': ['record_domains as records', "records.parent = suppressed.suppressed_key and "
        ~ suppression_covers_domain('records.domain', 'suppressed.suppressed_key')],
    'phone': ['records', "records.phone_e164 = suppressed.suppressed_key"],
} %}
matches as (
    {%- for key_type, (relation, condition) in named_by.items() %}
        {{ 'union all' if not loop.first }}
        select
            records.prospect_id,
            suppressed.scope,
            suppressed.scope_value,
            suppressed.reason,
            suppressed.suppressed_at,
            suppressed.first_suppression_ref,
            '{{ key_type }}' as matched_on
        from {{ relation }}
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
