-- One row per suppressed key (email, domain or phone) and scope, in effect on the run date.
with suppressions as (
    select * from {{ ref('stg_raw__suppressions') }}
),

keyed as (
    select
        'email' as key_type,
        email_key as suppressed_key,
        reason,
        scope,
        scope_value,
        effective_at,
        suppression_ref
    from suppressions
    where email_key is not null
    union all
    select
        'domain' as key_type,
        domain as suppressed_key,
        reason,
        scope,
        scope_value,
        effective_at,
        suppression_ref
    from suppressions
    where domain is not null
    union all
    select
        'phone' as key_type,
        phone_key as suppressed_key,
        reason,
        scope,
        scope_value,
        effective_at,
        suppression_ref
    from suppressions
    where phone_key is not null
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
