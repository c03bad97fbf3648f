-- Every prospect x campaign that got no draft has a reason drafting itself would give:
-- none is left to "a rule this explanation does not know" (int_campaign_eligibility and
-- marts.outreach_eligibility apply the same checks in the same order).
select
    prospect_id,
    campaign_id,
    blocking_reason
from {{ ref('outreach_eligibility') }}
where blocking_reason like 'not eligible (a rule%'
