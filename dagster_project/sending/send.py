"""The send: for each queued message, at the moment of sending, re-check everything
(gate.py), claim its communication id (committed before the send), send through the
transport, and record the outcome. Dry run unless `live`: then nothing is claimed or sent.

The warehouse is opened at the start, whenever something the gate reads may have changed
(intake.Watch looks before every message), and at the end; claims and outcomes go to the
send ledger beside it (core/send_ledger.py), which the warehouse takes in at the end of
the run and whenever anyone opens it to write. Between two looks a send run holds no lock
on the warehouse: the daily run, an import or a second send run go on meanwhile."""

import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import polars as pl

from assets.ingestion.suppression_events import SuppressionEvent, land_suppressions
from core.config import OutreachConfig
from core.mail_headers import UnsafeHeader, write_email
from core.schema import (
    PERMANENT,
    SENT,
    TRANSIENT,
    UNKNOWN,
    ensure_operational_tables,
    tables_present,
)
from core.send_ledger import SendLedger
from core.suppression_rule import RULE_TABLES
from core.workspace import Workspace
from dagster_project.sending import gate
from dagster_project.sending.intake import (
    INTAKE_EVERY_SECONDS,
    Intake,
    Watch,
    take_in_stop_signals,
)
from dagster_project.sending.ledger import OUTCOME_UNKNOWN_SQL
from dagster_project.sending.transports import (
    OutcomeUnknown,
    PermanentFailure,
    Sent,
    TransientFailure,
    Transport,
)

LOCK_WAIT_SECONDS = 120


def connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """DuckDB has one writer per file: wait for another process's short transaction."""
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@dataclass
class SendReport:
    run_id: str
    live: bool
    would_send: list[str] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)
    held: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str, str]] = field(default_factory=list)
    skipped_claimed: list[str] = field(default_factory=list)
    outcome_unknown: list[str] = field(default_factory=list)
    tasks: list[str] = field(default_factory=list)


@dataclass
class SendRun:
    """What every message of one send run shares."""

    ws: Workspace
    ledger: SendLedger
    config: OutreachConfig
    transport: Transport
    report: SendReport
    clock: "Clock"
    as_of: date | None
    sleep: Callable[[float], None]
    log: Callable[[str], None]
    facts: gate.QueueFacts = field(default_factory=gate.QueueFacts)
    # something landed during the run (a hard bounce's suppression): read the facts again
    stale: bool = False


class Clock:
    """The send moment: the wall clock, or a fixed start (tests, replays) plus elapsed time."""

    def __init__(self, start: datetime | None = None):
        self.start = start
        self.t0 = time.monotonic()

    def now(self) -> datetime:
        if self.start is None:
            return datetime.now(UTC)
        return self.start + timedelta(seconds=time.monotonic() - self.t0)


# approved messages on channels that are never sent automatically become tasks for a person
MANUAL_TASKS = {
    "linkedin": "send_linkedin_message_by_hand",
    "phone": "call",
    "sms": "send_sms_by_hand",
    "whatsapp": "send_whatsapp_by_hand",
    "voice_note": "record_voice_note",
}
MANUAL_SQL = """
select a.communication_id, a.prospect_id, a.campaign_id, d.channel, d.recipient, d.step
from intermediate.int_drafts_approved as a
inner join drafting.drafts as d using (communication_id)
where a.is_approved and d.channel <> 'email'
    and not exists (select 1 from review.tasks as t where t.task_id = 'tk_send_' ||
    a.communication_id)
order by a.communication_id
"""

QUEUE_SQL = """
select * from marts.send_queue
order by campaign_id, case priority when 'Priority One' then 1 else 2 end, communication_id
"""


ADDRESS = re.compile(r"[^\s<>@,;:'\"()\[\]]+@[^\s<>@,;:'\"()\[\]]+")


def _without_addresses(log: Callable[[str], None]) -> Callable[[str], None]:
    """The send job's log goes to Dagster's event log, which an erasure does not rewrite:
    it names messages by communication id, never by address (an SMTP reply quoting one
    included)."""
    return lambda line: log(ADDRESS.sub("[address]", line))


class BatchedLog:
    """The send job's lines go to Dagster's event log, a database write each (~4 ms, as
    long as sending a message): they are passed on a hundred at a time, or every two
    seconds, and at the end. The ledger, not the log, is the record of what was sent."""

    def __init__(self, log: Callable[[str], None], lines: int = 100, seconds: float = 2.0):
        self.log, self.lines, self.seconds = log, lines, seconds
        self.pending: list[str] = []
        self.since = time.monotonic()

    def __call__(self, line: str) -> None:
        self.pending.append(line)
        if len(self.pending) >= self.lines or time.monotonic() - self.since >= self.seconds:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.log("\n".join(self.pending))
            self.pending = []
        self.since = time.monotonic()


def run_sends(
    ws: Workspace,
    config: OutreachConfig,
    transport: Transport,
    *,
    live: bool,
    run_id: str,
    clock: Clock,
    as_of: date | None = None,
    sleep: Callable[[float], None] = time.sleep,
    log: Callable[[str], None] = print,
) -> SendReport:
    report = SendReport(run_id=run_id, live=live)
    log = BatchedLog(_without_addresses(log))
    campaigns = {c.campaign_id: c for c in config.campaigns}
    clients = {c.campaign_id: c.client_id for c in config.campaigns}
    day = as_of or clock.now().date()
    ledger = SendLedger.of(ws.warehouse)
    watch = Watch(ws)

    with connect(ws.warehouse) as con:
        # send and review tables, the privacy keys, and the ledger's journal copied in
        ensure_operational_tables(con)
        ledger.take_in_claims_from(con)
        queue = con.sql(QUEUE_SQL).pl()
        # what holds a whole campaign does not change during a run: judged once
        held = {
            c.campaign_id: gate.authority_refuses(c)
            or gate.not_launch_ready(con, c)
            or gate.campaign_paused(con, c)
            for c in config.campaigns
        }
        known = frozenset(tables_present(con, *RULE_TABLES))
        run = SendRun(ws, ledger, config, transport, report, clock, as_of, sleep, log)

        def take_in(con: duckdb.DuckDBPyConnection, rest: pl.DataFrame) -> Intake:
            """The stop signals that arrived since the daily run, then what the warehouse
            says of the rest of the queue: before the first message, and again whenever
            Watch sees something change, so each message is judged against them."""
            taken = take_in_stop_signals(con, ws, config, day, f"send-{run_id[:8]}")
            if taken.suppression_files or taken.messages or taken.pending_requests:
                log(
                    f"intake: {taken.suppression_rows} suppression(s) from "
                    f"{taken.suppression_files} file(s), {taken.messages} message(s), "
                    f"{len(taken.pending_requests)} pending request(s)"
                )
            run.facts = gate.read_facts(con, rest, clients, taken.pending_requests, day, known)
            return taken

        taken = take_in(con, queue)
        _hand_over_manual(con, run, campaigns, day)
    watch.changed()  # the moment after our own writes: only what others do counts as change
    last_intake = time.monotonic()
    try:
        try:
            for index, row in enumerate(queue.iter_rows(named=True)):
                overdue = time.monotonic() - last_intake >= INTAKE_EVERY_SECONDS
                # while a stop list is still being copied in, everything is held anyway: it
                # is looked at again once a minute, not at each of its writes
                if overdue or (
                    (watch.changed() or run.stale) and not taken.suppression_files_arriving
                ):
                    with connect(ws.warehouse) as con:
                        taken = take_in(con, queue[index:])
                    run.stale = False
                    watch.changed()
                    last_intake = time.monotonic()
                if taken.suppression_files_arriving:
                    # fail closed: a stop list half copied in may name this very person
                    report.held.append(
                        (
                            row["communication_id"],
                            "suppression file(s) still being written: "
                            + ", ".join(taken.suppression_files_arriving)
                            + "; send again once complete",
                        )
                    )
                    continue
                _send_one(row, campaigns[row["campaign_id"]], held[row["campaign_id"]], run)
        finally:
            transport.close()
            log.flush()
        with connect(ws.warehouse) as con:
            ledger.mirror_into(con)
            report.outcome_unknown = [r[0] for r in con.execute(OUTCOME_UNKNOWN_SQL).fetchall()]
    finally:
        ledger.close()
    return report


def _hand_over_manual(con, run: SendRun, campaigns: dict, day: date) -> None:
    """Approved messages on channels never sent automatically become tasks for a person
    (the contact budget counts them as first touches, as it counts claimed emails)."""
    report, log = run.report, run.log
    budget = run.config.channels.contact_budget.first_touches_per_day
    for communication, prospect, campaign_id, channel, recipient, step in con.execute(
        MANUAL_SQL
    ).fetchall():
        touch = {"communication_id": communication, "prospect_id": prospect, "step": step}
        if waits := gate.over_contact_budget(run.ledger, run.facts, touch, budget, day):
            report.held.append((communication, waits))
            log(f"held {communication}: {waits}")
            continue
        report.tasks.append(communication)
        if report.live:
            con.execute(
                "insert into review.tasks values (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    f"tk_send_{communication}",
                    MANUAL_TASKS[channel],
                    prospect,
                    campaign_id,
                    campaigns[campaign_id].owner,
                    f"approved {channel} message for {recipient}: {communication}",
                    run.clock.now().replace(tzinfo=None),
                    None,
                ],
            )
            if int(step) == 1:
                run.facts.tasks_today.setdefault(prospect, []).append((campaign_id, communication))
        log(
            f"{'task' if report.live else 'would create task'} {MANUAL_TASKS[channel]} for "
            f"{communication}"
        )


def _send_one(row, campaign, campaign_held, run: SendRun) -> None:
    ws, ledger, config, transport, report = (
        run.ws,
        run.ledger,
        run.config,
        run.transport,
        run.report,
    )
    clock, as_of, sleep, log = run.clock, run.as_of, run.sleep, run.log
    communication = row["communication_id"]
    now = clock.now()
    day = as_of or now.date()
    if ledger.is_claimed(communication):
        report.skipped_claimed.append(communication)
        return
    reason = (
        run.facts.refusals.get(communication)
        or campaign_held
        or gate.over_contact_budget(
            ledger, run.facts, row, config.channels.contact_budget.first_touches_per_day, day
        )
        or gate.over_cap(ledger, run.facts, row, campaign, now.date())
        or gate.outside_window(row, campaign, now)
    )
    if reason is None:
        try:
            message = write_email(
                communication_id=communication,
                sender_name=campaign.sender.name,
                sender_email=campaign.sender.email,
                recipient=row["recipient"],
                subject=row["subject"] or "",
                body=row["body"],
                unsubscribe_email=campaign.sender.unsubscribe_email,
                unsubscribe_url=campaign.sender.unsubscribe_url,
                at=now,
                in_reply_to=row.get("reply_message_id"),
            )
            # everything that could fail before the hand-over fails here, before the
            # claim: a claim is taken only for a message that can be handed over
            reason = transport.refuses(message)
        except UnsafeHeader as exc:
            reason = str(exc)
        except (UnicodeError, ValueError) as exc:
            reason = f"the message cannot be written as mail: {exc}"
    if reason is not None:
        report.held.append((communication, reason))
        log(f"held {communication}: {reason}")
        return
    if not report.live:
        report.would_send.append(communication)
        log(f"would send {communication} ({campaign.campaign_id})")
        return
    last = ledger.last_claimed_at(campaign.campaign_id) if campaign.min_gap_seconds > 0 else None
    if last is not None:
        waited = (now.replace(tzinfo=None) - last).total_seconds()
        if waited < campaign.min_gap_seconds:
            sleep(campaign.min_gap_seconds - waited)
            now = clock.now()
    claimed = ledger.claim(
        {
            "communication_id": communication,
            "content_hash": row["approved_content_hash"],
            "campaign_id": campaign.campaign_id,
            "prospect_id": row["prospect_id"],
            "recipient": row["recipient"],
            "claimed_at": now.replace(tzinfo=None),
            "run_id": report.run_id,
            "transport": transport.name,
        },
        step=int(row["step"]),
    )
    if claimed is None:
        report.skipped_claimed.append(communication)  # another run claimed it first
        return
    # claimed and committed: from here a crash leaves "outcome unknown", never a resend
    attempts, status, provider_id, result = 1, SENT, None, ""
    try:
        sent: Sent = transport.send(message, claimed.durable)
        provider_id, result, attempts = sent.provider_message_id, sent.response, sent.attempts
        report.sent.append(communication)
    except TransientFailure as exc:
        status, result, attempts = TRANSIENT, exc.response, exc.attempts
        report.failed.append((communication, status, result))
    except PermanentFailure as exc:
        status, result = PERMANENT, exc.response
        report.failed.append((communication, status, result))
        if exc.hard_bounce:
            with connect(ws.warehouse) as con:
                land_suppressions(
                    con,
                    ws,
                    config,
                    [
                        SuppressionEvent(
                            f"SEND-{communication}",
                            "hard_bounce",
                            "send job",
                            email=row["recipient"],
                        )
                    ],
                    f"send-{now.date().isoformat()}-{communication}",
                    now.date(),
                )
            run.stale = True
    except OutcomeUnknown as exc:
        status, result = UNKNOWN, str(exc)
        report.failed.append((communication, status, result))
    log(f"{status} {communication}: {result}")
    ledger.record(
        _record(
            row,
            report.run_id,
            status,
            provider_id,
            result,
            attempts,
            message.message_id,
            clock.now(),
        )
    )


RECORD_COLUMNS = (
    "record_id, communication_id, prospect_id, company, source_id, permission_type, offer_id, "
    "campaign_id, channel, message_type, step, ai_draft, human_edited_version, "
    "personalisation_source, evidence_id, cta_id, compliance_flag, approval_status, approved_by, "
    "approved_content_hash, sent_status, sent_at, provider_message_id, provider_result, "
    "reply_status, outcome, recipient, message_id, attempts, recorded_at, run_id, "
    "config_version, notice_version, experiment_id, arm_id"
)


def _record(row, run_id, status, provider_id, result, attempts, message_id, at) -> dict:
    """The Outreach Sending Record of one outcome (send.records' columns)."""
    record_id = (
        "sr_"
        + hashlib.sha256(f"{row['communication_id']}|{run_id}|{status}".encode()).hexdigest()[:20]
    )
    values = [
        record_id,
        row["communication_id"],
        row["prospect_id"],
        row["company_name"],
        row["source_id"],
        row["permission_type"],
        row["offer_id"],
        row["campaign_id"],
        row["channel"],
        row["message_type"],
        row["step"],
        row["ai_draft"],
        row["human_edited_version"],
        row["evidence_id"],
        row["evidence_id"],
        row["cta_id"],
        f"{row['permission_type']}; suppression re-checked at send",
        f"{row['decision']} (expires {row['expires_on']})",
        row["approved_by"],
        row["approved_content_hash"],
        status,
        at.replace(tzinfo=None) if status == SENT else None,
        provider_id,
        result[:1000],
        "no reply",
        None,
        row["recipient"],
        message_id,
        attempts,
        at.replace(tzinfo=None),
        run_id,
        row.get("config_version"),
        row.get("notice_version"),
        row.get("experiment_id"),
        row.get("arm_id"),
    ]
    return dict(zip(RECORD_COLUMNS.split(", "), values, strict=True))
