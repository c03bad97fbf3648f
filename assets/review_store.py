"""The tables drafting and human review own in the warehouse (schemas drafting, review).

Created here, once, with their types, so dbt sources and the importer always find them."""

import duckdb
from dagster import AssetKey, AssetSpec

from assets.message_lint import RULES

DDL = (
    "create schema if not exists drafting",
    "create schema if not exists review",
    """create table if not exists drafting.draft_history (
        communication_id varchar, prospect_id varchar, campaign_id varchar, step integer,
        content_hash varchar, subject varchar, body varchar, drafted_on date,
        primary key (communication_id, content_hash))""",
    # one row per accepted decision; an approval binds to approved_content_hash
    """create table if not exists review.decisions (
        decision_id varchar primary key, review_token varchar not null,
        communication_id varchar not null, draft_content_hash varchar not null,
        prospect_id varchar not null, campaign_id varchar not null,
        decision varchar not null, reviewer varchar not null,
        approved_subject varchar, approved_body varchar, approved_content_hash varchar,
        notes varchar, decided_at timestamp not null, expires_on date,
        source_file varchar not null, source_row integer not null)""",
    """create table if not exists review.rejected_decisions (
        source_file varchar not null, source_row integer not null, review_token varchar,
        decision varchar, reviewer varchar, reason varchar not null, row_json varchar,
        rejected_at timestamp not null)""",
    """create table if not exists review.decision_files (
        file_sha256 varchar primary key, source_file varchar, rows_in integer,
        rows_accepted integer, rows_rejected integer, imported_at timestamp)""",
    """create table if not exists review.tasks (
        task_id varchar primary key, kind varchar not null, prospect_id varchar not null,
        campaign_id varchar, owner varchar, detail varchar, created_at timestamp not null,
        decision_id varchar)""",
    """create table if not exists review.prospect_states (
        prospect_id varchar not null, campaign_id varchar, state varchar not null,
        reason varchar, decided_at timestamp not null, decision_id varchar)""",
)


# columns added after the first release: added to a warehouse that predates them
LATER_COLUMNS = {
    # the configuration version (content hash) each draft and each decision was made under
    "drafting.draft_history": {"config_version": "varchar"},
    "review.decisions": {"config_version": "varchar"},
}


def add_missing_columns(con: duckdb.DuckDBPyConnection, later: dict[str, dict[str, str]]) -> None:
    for table, columns in later.items():
        for column, dtype in columns.items():
            con.execute(f"alter table {table} add column if not exists {column} {dtype}")


def ensure_review_tables(con: duckdb.DuckDBPyConnection) -> None:
    for statement in DDL:
        con.execute(statement)
    add_missing_columns(con, LATER_COLUMNS)
    # drafting.drafts is replaced by every drafting run; an empty one until the first
    exists = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'drafting' and table_name = 'drafts'"
    ).fetchall()[0][0]
    if not exists:
        con.execute(
            """create table drafting.drafts (communication_id varchar, prospect_id varchar,
            campaign_id varchar, step bigint, message_type varchar, channel varchar, delivery varchar,
            send_authority varchar, recipient varchar, subject varchar, body varchar,
            evidence_id varchar, evidence_class varchar, claim_id varchar, cta_id varchar,
            experiment_id varchar, arm_id varchar, content_hash varchar, review_token varchar, """
            + "".join(f"lint_{rule} boolean, " for rule in RULES)
            + """lint_passed boolean, lint_failures varchar,
            drafted_by varchar, notice_source_id varchar, notice_version varchar,
            config_version varchar, drafted_on date)"""
        )


review_bookkeeping = [
    AssetSpec(
        AssetKey(["review", "decisions"]),
        group_name="review",
        description=(
            "review.decisions: one row per accepted reviewer decision, bound to the draft's "
            "content hash at export; written by `outreach queue import` and the decisions sensor. "
            "Refused rows are in review.rejected_decisions with the reason."
        ),
    ),
]
