-- Every transition a sequence made is one the rule table (seed allowed_transitions)
-- allows. A row here is a sequence moved from a state that may not move that way: a
-- send that was not Ready To Send, a draft for a suppressed prospect, a draft before
-- the wait passed.
-- Severity warn: history cannot be undone, so the marts still build and the pilot
-- gate's "suppression works" fails with the count, holding the campaign at its pilot
-- size (an error would skip the gate and leave yesterday's verdict in place).
{{ config(severity='warn') }}
select
    prospect_id,
    campaign_id,
    seq,
    kind,
    trigger,
    from_state,
    to_state,
    evidence_ref
from {{ ref('sequence_transitions') }}
where not is_allowed
