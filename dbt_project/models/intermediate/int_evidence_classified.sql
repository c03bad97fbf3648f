-- One row per observation: its evidence class, source, date, and whether it may be
-- mentioned to the prospect. AI Inference and Unverified Claim never may (the seed);
-- nor may a stale point or a sensitive one (config/evidence.yml: freshness and
-- sensitive categories). A lead from an inbound form or website inquiry brings what the
-- person asked, in their words: a Verified Fact of category `inquiry` (the known inquiry),
-- dated the day it was captured, about the person who asked.
with observations as (
    select * from {{ ref('stg_raw__intelligence') }}
),

inquiries as (
    select
        leads.lead_record_id,
        leads.email_key,
        leads.inquiry,
        leads.captured_on,
        sources.source_name
    from {{ ref('stg_raw__leads') }} as leads
    inner join {{ ref('stg_config__lead_sources') }} as sources on leads.source_id = sources.source_id
    where leads.inquiry is not null and sources.source_type in ('Inbound Form', 'Website Inquiry')
),

intelligence as (
    select
        evidence_ref,
        email_key,
        company_domain,
        category,
        observation,
        evidence_class,
        source_name,
        source_url,
        source_on,
        confidence,
        is_sensitive
    from observations
    union all
    select
        'inquiry:' || lead_record_id as evidence_ref,
        email_key,
        -- the person's own question: about them, never about their colleagues
        cast(null as varchar) as company_domain,
        'inquiry' as category,
        inquiry as observation,
        'Verified Fact' as evidence_class,
        source_name,
        cast(null as varchar) as source_url,
        captured_on as source_on,
        cast(1.0 as double precision) as confidence,
        false as is_sensitive
    from inquiries
),

classes as (
    select * from {{ ref('evidence_classes') }}
),

rules as (
    select * from {{ ref('stg_config__evidence_rules') }}
),

default_rule as (
    select * from rules
    where category is null
),

aged as (
    select
        intelligence.*,
        {{ dbt.datediff('intelligence.source_on', as_of(), 'day') }} as age_days,
        coalesce(category_rule.max_age_days, default_rule.max_age_days) as max_age_days,
        default_rule.min_confidence,
        intelligence.is_sensitive or coalesce(category_rule.is_sensitive, false) as is_sensitive_point
    from intelligence
    cross join default_rule
    left join rules as category_rule on intelligence.category = category_rule.category
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
        aged.is_sensitive_point as is_sensitive,
        aged.age_days,
        aged.max_age_days,
        aged.age_days > aged.max_age_days as is_stale,
        classes.may_be_mentioned
        and not aged.is_sensitive_point
        and aged.age_days <= aged.max_age_days
            as is_safe_to_mention,
        case
            when not classes.may_be_mentioned then 'never mentionable: ' || aged.evidence_class
            when aged.is_sensitive_point then 'sensitive category: ' || aged.category
            when aged.age_days > aged.max_age_days
                then 'stale: ' || cast(aged.age_days as varchar) || ' days old, limit ' || cast(aged.max_age_days as varchar)
        end as unsafe_reason,
        aged.evidence_class in ('Derived Signal', 'Estimate')
        or coalesce(aged.confidence, 0) < aged.min_confidence
            as is_human_review_required
    from aged
    inner join classes on aged.evidence_class = classes.evidence_class
)

select * from final
