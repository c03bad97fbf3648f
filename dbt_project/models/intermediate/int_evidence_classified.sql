-- One row per observation: its evidence class, source, date, and whether it may be
-- mentioned to the prospect. AI Inference and Unverified Claim never may; nor may a
-- stale or sensitive point.
with intelligence as (
    select * from {{ ref('stg_raw__intelligence') }}
),

classes as (
    select * from {{ ref('evidence_classes') }}
),

aged as (
    select
        intelligence.*,
        {{ dbt.datediff('intelligence.source_on', as_of(), 'day') }} as age_days
    from intelligence
),

final as (
    select
        'ev_' || substr({{ dbt.hash("aged.evidence_ref || '|' || coalesce(aged.source_name, '')") }}, 1, 16) as evidence_id,
        aged.evidence_ref,
        aged.email_key,
        aged.company_domain,
        aged.category,
        aged.observation,
        aged.evidence_class,
        aged.source_name,
        aged.source_url,
        aged.source_on,
        aged.confidence,
        aged.is_sensitive,
        aged.age_days,
        aged.age_days > {{ var('evidence_max_age_days', 180) }} as is_stale,
        classes.may_be_mentioned
            and not aged.is_sensitive
            and aged.age_days <= {{ var('evidence_max_age_days', 180) }}
            as is_safe_to_mention,
        aged.evidence_class in ('Derived Signal', 'Estimate')
            or coalesce(aged.confidence, 0) < {{ var('evidence_min_confidence', 0.7) }}
            as is_human_review_required
    from aged
    inner join classes on aged.evidence_class = classes.evidence_class
)

select * from final
