-- One row per suppressed key (email, domain or phone) and scope, in effect on the run date.
with suppressions as (
    select * from {{ ref('stg_raw__suppressions') }}
),

-- one row per key a suppression names, whichever of the three it is
keyed as (
    {%- for key_type, key_column in [('email', 'email_key'), ('domain', 'domain'), ('phone', 'phone_key')] %}
        {{ 'union all' if not loop.first }}
        select
            '{{ key_type }}' as key_type,
            {{ key_column }} as suppressed_key,
            reason,
            scope,
            scope_value,
            effective_at,
            suppression_ref
        from suppressions
        where {{ key_column }} is not null
    {%- endfor %}
),

in_effect as (
    select * from keyed
    where {{ suppression_in_effect('effective_at', as_of()) }}
),

final as (
    select
        key_type,
        suppressed_key,
        scope,
        scope_value,
        min(effective_at) as suppressed_at,
        min(reason) as reason,
        count(*) as suppression_events,
        min(suppression_ref) as first_suppression_ref
    from in_effect
    group by key_type, suppressed_key, scope, scope_value
)

select * from final
