-- One row per observation: its evidence class, source, date, and whether it may be
-- mentioned to the prospect. AI Inference and Unverified Claim never may; nor may a
-- stale or sensitive point.
with intelligence as (
    select * from {{ ref('stg_raw__intelligence') }}
),

classes as (
    select * from {{ ref('evidence_classes') }}
),

final as (
    select
        'ev_' || substr({{ dbt.hash("intelligence.evidence_ref || '|' || coalesce(intelligence.source_name, '')") }}, 1, 16) as evidence_id,
        intelligence.evidence_ref,
        intelligence.email_key,
        intelligence.company_domain,
        intelligence.category,
        intelligence.observation,
        intelligence.evidence_class,
        intelligence.source_name,
        intelligence.source_url,
        intelligence.source_on,
        intelligence.confidence,
        intelligence.is_sensitive,
        {{ dbt.datediff('intelligence.source_on', as_of(), 'day') }} as age_days,
        {{ dbt.datediff('intelligence.source_on', as_of(), 'day') }} > {{ var('evidence_max_age_days', 180) }} as is_stale,
        classes.may_be_mentioned
            and not intelligence.is_sensitive
            and {{ dbt.datediff('intelligence.source_on', as_of(), 'day') }} <= {{ var('evidence_max_age_days', 180) }}
            as is_safe_to_mention,
        intelligence.evidence_class in ('Derived Signal', 'Estimate')
            or coalesce(intelligence.confidence, 0) < {{ var('evidence_min_confidence', 0.7) }}
            as is_human_review_required
    from intelligence
    inner join classes on intelligence.evidence_class = classes.evidence_class
)

select * from final
