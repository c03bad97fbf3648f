"""The send ledger: a claim per communication (a unique key, committed before sending)
and an append-only record per outcome, with every field of the framework's Outreach
Sending Record. A claim without an outcome is "outcome unknown": never resent
automatically, waiting for a human.

Its tables and the sent_status values are in core/schema.py."""

OUTCOME_UNKNOWN_SQL = """
select claims.communication_id, claims.campaign_id, claims.recipient, claims.claimed_at,
claims.run_id, claims.transport
from send.claims as claims
left join send.records as records
    on claims.communication_id = records.communication_id
where records.communication_id is null or records.sent_status = 'outcome_unknown'
order by claims.claimed_at
"""
