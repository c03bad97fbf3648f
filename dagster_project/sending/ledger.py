"""The send ledger: a claim per communication (a unique key, committed before sending)
and an append-only record per outcome, with every field of the framework's Outreach
Sending Record. A claim without an outcome is "outcome unknown": never resent
automatically, waiting for a human.

A send run writes both to the fast ledger beside the warehouse (core/send_ledger.py:
SQLite, tens of microseconds a transaction), which the warehouse's send.claims and
send.records take in whenever it is opened to write; their tables and the sent_status
values are in core/schema.py."""

from dagster import AssetKey, AssetSpec

OUTCOME_UNKNOWN_SQL = """
select claims.communication_id, claims.campaign_id, claims.recipient, claims.claimed_at,
claims.run_id, claims.transport
from send.claims as claims
left join send.records as records
    on claims.communication_id = records.communication_id
where records.communication_id is null or records.sent_status = 'outcome_unknown'
order by claims.claimed_at
"""


def ledger_assets():
    """The ledger's two tables as assets in the UI's send group (the send job writes them;
    the dbt staging models read them)."""
    return [
        AssetSpec(
            AssetKey(["send", "claims"]),
            group_name="send",
            description="send.claims: one row per claimed communication (unique), committed "
            "before the send; written by the send job.",
        ),
        AssetSpec(
            AssetKey(["send", "records"]),
            group_name="send",
            description="send.records: the append-only Outreach Sending Records, one per "
            "outcome; written by the send job.",
        ),
    ]
