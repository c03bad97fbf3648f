"""The send ledger: a claim per communication (a unique key, committed before sending)
and an append-only record per outcome, with every field of the framework's Outreach
Sending Record. A claim without an outcome is "outcome unknown": never resent
automatically, waiting for a human."""

import duckdb

DDL = (
    "create schema if not exists send",
    """create table if not exists send.claims (
        communication_id varchar primary key, content_hash varchar not null,
        campaign_id varchar not null, prospect_id varchar not null, recipient varchar not null,
        claimed_at timestamp not null, run_id varchar not null, transport varchar not null)""",
    """create table if not exists send.records (
        record_id varchar primary key, communication_id varchar not null, prospect_id varchar,
        company varchar, source_id varchar, permission_type varchar, offer_id varchar,
        campaign_id varchar, channel varchar, message_type varchar, step integer,
        ai_draft varchar, human_edited_version varchar, personalisation_source varchar,
        evidence_id varchar, cta_id varchar, compliance_flag varchar, approval_status varchar,
        approved_by varchar, approved_content_hash varchar, sent_status varchar not null,
        sent_at timestamp, provider_message_id varchar, provider_result varchar,
        reply_status varchar, outcome varchar, recipient varchar, message_id varchar,
        attempts integer, recorded_at timestamp not null, run_id varchar not null)""",
)
# sent_status values
SENT = "sent"
TRANSIENT = "transient_failure"
PERMANENT = "permanent_failure"
UNKNOWN = "outcome_unknown"


# added after the first release: which configuration version, Art. 14 notice version
# and experiment arm each sent message carried
LATER_COLUMNS = {
    "send.records": {
        "config_version": "varchar",
        "notice_version": "varchar",
        "experiment_id": "varchar",
        "arm_id": "varchar",
    }
}


def ensure_send_tables(con: duckdb.DuckDBPyConnection) -> None:
    from assets.review_store import add_missing_columns

    for statement in DDL:
        con.execute(statement)
    add_missing_columns(con, LATER_COLUMNS)


OUTCOME_UNKNOWN_SQL = """
select claims.communication_id, claims.campaign_id, claims.recipient, claims.claimed_at, claims.run_id, claims.transport
from send.claims as claims
left join send.records as records
    on claims.communication_id = records.communication_id
where records.communication_id is null or records.sent_status = 'outcome_unknown'
order by claims.claimed_at
"""
