-- One row per prospect x observation about the prospect or their company: the
-- evidence a reviewer and the Prospect Intelligence Brief see, with its class,
-- source, date, and whether it may be mentioned (and if not, why not). Facts and
-- inference stay apart: `is_inference` marks what must never be presented as fact.
with prospects as (
    select * from {{ ref('int_prospects_resolved') }}
),

evidence as (
    select * from {{ ref('int_evidence_classified') }}
),

matched as (
    select
        prospects.prospect_id,
        evidence.*
    from prospects
    inner join evidence on prospects.company_domain = evidence.company_domain
    union
    select
        prospects.prospect_id,
        evidence.*
    from prospects
    inner join evidence on prospects.email = evidence.email_key
),

final as (
    select
        prospect_id,
        evidence_id,
        evidence_class,
        category,
        observation,
        source_name,
        source_url,
        source_on,
        age_days,
        confidence,
        is_safe_to_mention,
        is_human_review_required,
        unsafe_reason,
        evidence_class in ('AI Inference', 'Unverified Claim', 'Estimate', 'Derived Signal') as is_inference
    from matched
)

select * from final
