"""The whole schema the Python side owns, in one place: the raw ledger and quarantine,
drafts and review, the send ledger, inbound mail, privacy and the configuration history.

One ordered list of migrations builds it: a new warehouse gets every step; a warehouse
from an earlier release gets the steps it lacks (every statement is idempotent, so a step
is simply applied again, and a data step checks for itself whether it is needed). The
dbt models read these tables as sources; on a new warehouse they exist, empty, before the
first build. raw.<kind> tables are created by ingestion from the landing schemas."""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from core.message_lint import RULES
from core.send_ledger import mirror_send_ledger

# what a suppression matches on, derived once at the door: the gate and the marts read these
SUPPRESSION_KEYS = ("email_key", "domain_key", "phone_key")
# send.records.sent_status values
SENT = "sent"
TRANSIENT = "transient_failure"
PERMANENT = "permanent_failure"
UNKNOWN = "outcome_unknown"


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    """Whether a table the last build or ingestion writes is there yet."""
    return (schema, table) in tables_present(con, (schema, table))


def tables_present(
    con: duckdb.DuckDBPyConnection, *tables: tuple[str, str]
) -> set[tuple[str, str]]:
    """Which of these (schema, table) pairs exist, in one look at DuckDB's catalog
    (`duckdb_tables()`: half the cost of information_schema, which adds the views)."""
    found = con.execute(
        "select schema_name, table_name from duckdb_tables() "
        "where (schema_name, table_name) in (select unnest(?), unnest(?))",
        [[s for s, _ in tables], [t for _, t in tables]],
    ).fetchall()
    return {(schema, table) for schema, table in found}


def _empty_drafts(con: duckdb.DuckDBPyConnection) -> None:
    """drafting.drafts is replaced by every drafting run; an empty one until the first."""
    if table_exists(con, "drafting", "drafts"):
        return
    con.execute(
        """create table drafting.drafts (communication_id varchar, prospect_id varchar,
        campaign_id varchar, step bigint, message_type varchar, channel varchar, delivery varchar,
        send_authority varchar, recipient varchar, subject varchar, body varchar,
        evidence_id varchar, evidence_class varchar, claim_id varchar, cta_id varchar,
        experiment_id varchar, arm_id varchar, content_hash varchar, review_token varchar, """
        + "".join(f"lint_{rule} boolean, " for rule in RULES)
        + """lint_passed boolean, lint_failures varchar,
        drafted_by varchar, notice_source_id varchar, notice_version varchar,
        config_version varchar, drafted_on date, answers_message varchar)"""
    )


def _proposal_record_columns(con: duckdb.DuckDBPyConnection) -> None:
    """An events table from before proposals carried their record: add the columns (a
    table not made yet gets them from the landing schema)."""
    if table_exists(con, "raw", "events"):
        for name in ("proposal_version", "scope_summary", "owner"):
            con.execute(f"alter table raw.events add column if not exists {name} varchar")


def _lead_inquiry_column(con: duckdb.DuckDBPyConnection) -> None:
    """A leads table from before a lead carried what the person asked: add the column (a
    table not made yet gets it from the landing schema)."""
    if table_exists(con, "raw", "leads"):
        con.execute("alter table raw.leads add column if not exists inquiry varchar")


def _suppression_keys_at_the_door(con: duckdb.DuckDBPyConnection) -> None:
    """A warehouse from before the suppression keys were derived at the door: add them to
    its rows as the staging model used to derive them, and widen an unscoped scope."""
    if not table_exists(con, "raw", "suppressions"):
        return
    columns = {r[0] for r in con.execute("describe raw.suppressions").fetchall()}
    if "email_key" in columns:
        return
    for name, kind in (
        *((k, "varchar") for k in SUPPRESSION_KEYS),
        ("interpretation", "varchar"),
        ("needs_review", "boolean"),
    ):
        con.execute(f"alter table raw.suppressions add column if not exists {name} {kind}")
    con.execute(
        """
        update raw.suppressions set
            email_key = lower(coalesce(email_normalised, trim(email))),
            domain_key = domain_normalised,
            phone_key = coalesce(phone_e164, trim(phone)),
            needs_review = false,
            scope = case when scope <> 'global' and nullif(trim(scope_value), '') is null
                then 'global' else scope end,
            scope_value = case when scope = 'channel' then lower(trim(scope_value))
                else nullif(trim(scope_value), '') end
        """
    )


Step = str | Callable[[duckdb.DuckDBPyConnection], None]

# (name, steps) in the order they were introduced; append, never edit a released step
MIGRATIONS: tuple[tuple[str, tuple[Step, ...]], ...] = (
    (
        "raw ledger and quarantine",
        (
            """create schema if not exists raw""",
            """create table if not exists raw.file_ledger (
    file_sha256 varchar not null,
    kind varchar not null,
    source_file varchar not null,
    size_bytes bigint not null,
    encoding varchar,
    status varchar not null,
    detail varchar,
    rows_in bigint not null,
    rows_raw bigint not null,
    rows_quarantined bigint not null,
    batch_id varchar not null,
    as_of date not null,
    ingested_at timestamp not null,
    primary key (kind, file_sha256)
)""",
            """create table if not exists raw.quarantine (
    kind varchar not null,
    source_file varchar not null,
    file_sha256 varchar not null,
    row_number bigint not null,
    reason varchar not null,
    original_row varchar,
    batch_id varchar not null,
    as_of date not null,
    ingested_at timestamp not null
)""",
        ),
    ),
    (
        "privacy requests and erased keys",
        (
            "create schema if not exists privacy",
            """create table if not exists privacy.requests (
        request_id varchar primary key, request_type varchar not null, key_hash varchar,
        received_at timestamp not null, honoured_at timestamp, source varchar not null,
        prospects integer, rows_pseudonymised integer, rows_erased integer,
        files_scrubbed integer, detail varchar)""",
            """create table if not exists privacy.erased_keys (
        key_hash varchar primary key, key_type varchar not null, request_id varchar not null,
        request_type varchar not null, erased_at timestamp not null)""",
            """create table if not exists privacy.erased_rows (
        request_id varchar not null, kind varchar not null, file_sha256 varchar not null,
        rows integer not null)""",
        ),
    ),
    (
        "drafts and review",
        (
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
            _empty_drafts,
        ),
    ),
    (
        "send ledger",
        (
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
        ),
    ),
    (
        "inbound mail",
        (
            "create schema if not exists inbound",
            """create table if not exists inbound.messages (
        content_hash varchar primary key, message_id varchar, source varchar, received_on date,
        raw blob, in_reply_to varchar, sender varchar, subject varchar, reply_class varchar,
        confidence double, next_action varchar, creates_suppression boolean, stops_sequence boolean,
        bounce_type varchar, bounce_reason varchar, bounce_status varchar,
        bounced_recipient varchar,
        return_on date, review_on date, referred_contact varchar, feedback_type varchar,
        evidence varchar, defects varchar, communication_id varchar, prospect_id varchar,
        threaded_by varchar)""",
        ),
    ),
    (
        "configuration history",
        (
            "create schema if not exists config",
            """create table if not exists config.version_history (
    campaign_id varchar not null, config_version varchar not null,
    claims_hash varchar, ctas_hash varchar, targeting_hash varchar, templates_hash varchar,
    sequence_hash varchar, scoring_hash varchar, messaging_hash varchar,
    experiments_hash varchar, campaign_hash varchar, sources_hash varchar,
    first_seen_on date not null, last_seen_on date not null,
    primary key (campaign_id, config_version))""",
        ),
    ),
    (
        "configuration version on drafts, decisions, sends and inbound mail",
        (
            "alter table drafting.draft_history add column if not exists config_version varchar",
            "alter table review.decisions add column if not exists config_version varchar",
            "alter table send.records add column if not exists config_version varchar",
            "alter table inbound.messages add column if not exists config_version varchar",
        ),
    ),
    (
        "notice version and experiment arm on sends; classifier version on inbound mail",
        (
            "alter table send.records add column if not exists notice_version varchar",
            "alter table send.records add column if not exists experiment_id varchar",
            "alter table send.records add column if not exists arm_id varchar",
            "alter table inbound.messages add column if not exists classifier_version varchar",
        ),
    ),
    ("suppression keys derived at the door", (_suppression_keys_at_the_door,)),
    (
        "the time inbound mail arrived",
        ("alter table inbound.messages add column if not exists received_at timestamp",),
    ),
    (
        "a human's acknowledgement of a pilot-gate breach",
        (
            """create table if not exists review.breach_acknowledgements (
    campaign_id varchar not null, acknowledged_by varchar not null, reason varchar not null,
    covers_through date not null, acknowledged_at timestamp not null)""",
        ),
    ),
    (
        "a human's audit of a CRM record",
        (
            """create table if not exists review.crm_audits (
    prospect_id varchar not null, campaign_id varchar not null, recorded_stage varchar not null,
    audited_stage varchar not null, audited_by varchar not null, note varchar,
    audited_on date not null, audited_at timestamp not null)""",
        ),
    ),
    (
        "the words of a human reply, for the person who answers it",
        ("alter table inbound.messages add column if not exists reply_text varchar",),
    ),
    (
        "a response draft names the reply it answers",
        ("alter table drafting.drafts add column if not exists answers_message varchar",),
    ),
    ("a proposal event carries its version, scope and owner", (_proposal_record_columns,)),
    (
        "who wrote a draft (a template or a language model), every model call, and a "
        "model's second opinion on a reply",
        (
            *(
                f"alter table drafting.drafts add column if not exists {name} {kind}"
                for name, kind in (
                    ("lint_ungrounded_statement", "boolean"),
                    ("draft_model", "varchar"),
                    ("prompt_hash", "varchar"),
                    ("model_attempts", "integer"),
                    ("model_fallback_reason", "varchar"),
                    ("model_text", "varchar"),
                    ("sentence_sources", "varchar"),
                )
            ),
            *(
                f"alter table drafting.draft_history add column if not exists {name} varchar"
                for name in ("drafted_by", "prompt_hash", "model_text")
            ),
            "alter table inbound.messages add column if not exists second_opinion varchar",
            """create table if not exists drafting.model_attempts (
    communication_id varchar not null, prospect_id varchar not null, campaign_id varchar not null,
    drafted_on date not null, attempt integer not null, provider varchar not null,
    model varchar not null, prompt_hash varchar not null, outcome varchar not null,
    detail varchar, recorded_at timestamp not null)""",
        ),
    ),
    ("a lead carries what the person asked (an inbound form's answers)", (_lead_inquiry_column,)),
    (
        "a reply a reader suspects is an opt-out or complaint",
        (
            "alter table inbound.messages add column if not exists stop_suspected boolean",
            "update inbound.messages set stop_suspected = false where stop_suspected is null",
        ),
    ),
)


def ensure_operational_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Apply every migration, in order (each step is idempotent); then copy in the claims
    and outcomes the send ledger beside the warehouse holds (core/send_ledger.py), so
    whoever opens the warehouse to write sees every send."""
    for _name, steps in MIGRATIONS:
        for step in steps:
            if callable(step):
                step(con)
            else:
                con.execute(step)
    mirror_send_ledger(con)
