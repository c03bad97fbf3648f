-- Only safe-to-mention evidence reaches drafting; AI Inference and Unverified Claim never do.
-- An asset check on draft_candidates in Dagster (the test refs more than one model).
{{ config(meta={'dagster': {'ref': {'name': 'draft_candidates'}}}) }}

select
    candidates.prospect_id,
    candidates.evidence_id,
    evidence.evidence_class
from {{ ref('draft_candidates') }} as candidates
inner join {{ ref('int_evidence_classified') }} as evidence on candidates.evidence_id = evidence.evidence_id
where
    not evidence.is_safe_to_mention
    or evidence.evidence_class in ('AI Inference', 'Unverified Claim')
