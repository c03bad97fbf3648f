"""The send: for each queued message, at the moment of sending, re-check everything
(gate.py), claim its communication id (committed before the send), send through the
transport, and record the outcome. Dry run unless `live`: then nothing is claimed or sent."""

import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb

from assets.ingestion.suppression_events import SuppressionEvent, land_suppressions
from core.config import OutreachConfig
from core.mail_headers import UnsafeHeader, build_email
from core.schema import (
    PERMANENT,
    SENT,
    TRANSIENT,
    UNKNOWN,
    ensure_operational_tables,
    tables_present,
)
from core.suppression_rule import RULE_TABLES
from core.workspace import Workspace
from dagster_project.sending import gate
from dagster_project.sending.intake import (
    INTAKE_EVERY_MESSAGES,
    INTAKE_EVERY_SECONDS,
    Intake,
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


# how long a send run keeps the warehouse before letting another process in (the daily
# run, an import, a second send: DuckDB has one writer per file)
HOLD_SECONDS = 1.0


class Warehouse:
    """The send run's warehouse connection. Opening the file costs ~50-100 ms (its whole
    catalog is read), three times a message before; now it is opened when needed, kept
    for the messages that follow at once, and let go after HOLD_SECONDS or before the run
    waits (the gap between messages), so other processes take their turn. Every claim
    and every record is still its own committed transaction."""

    def __init__(self, path: Path):
        self.path = path
        self._con: duckdb.DuckDBPyConnection | None = None
        self._since = 0.0

    def get(self) -> duckdb.DuckDBPyConnection:
        if self._con is not None and time.monotonic() - self._since > HOLD_SECONDS:
            self.let_go()
        if self._con is None:
            self._con = connect(self.path)
            self._since = time.monotonic()
        return self._con

    def let_go(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None


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


@dataclass(frozen=True)
class SendRun:
    """What every message of one send run shares."""

    ws: Workspace
    db: Warehouse
    config: OutreachConfig
    transport: Transport
    report: SendReport
    clock: "Clock"
    as_of: date | None
    sleep: Callable[[float], None]
    log: Callable[[str], None]
    # the suppression rule's tables, seen once at the start (never dropped during a send)
    known_tables: frozenset[tuple[str, str]] = frozenset()


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
    log = _without_addresses(log)
    campaigns = {c.campaign_id: c for c in config.campaigns}
    day = as_of or clock.now().date()

    db = Warehouse(ws.warehouse)

    def intake() -> Intake:
        # stop signals that arrived since the daily run: before the first message and
        # again every minute or 50 messages, so each message is judged against them
        taken = take_in_stop_signals(db.get(), ws, config, day, f"send-{run_id[:8]}")
        if taken.suppression_files or taken.messages or taken.pending_requests:
            log(
                f"intake: {taken.suppression_rows} suppression(s) from {taken.suppression_files} "
                f"file(s), {taken.messages} message(s), {len(taken.pending_requests)} pending "
                f"request(s)"
            )
        return taken

    # send and review tables, and the privacy keys the gate reads for every message
    ensure_operational_tables(db.get())
    taken = intake()
    con = db.get()
    queue = con.sql(QUEUE_SQL).pl().to_dicts()
    # what holds a whole campaign does not change during a run: judged once, not per message
    held = {
        c.campaign_id: gate.authority_refuses(c)
        or gate.not_launch_ready(con, c)
        or gate.campaign_paused(con, c)
        for c in config.campaigns
    }
    budget = config.channels.contact_budget.first_touches_per_day
    for communication, prospect, campaign_id, channel, recipient, step in con.execute(
        MANUAL_SQL
    ).fetchall():
        touch = {"communication_id": communication, "prospect_id": prospect, "step": step}
        if waits := gate.over_contact_budget(con, touch, budget, day):
            report.held.append((communication, waits))
            log(f"held {communication}: {waits}")
            continue
        report.tasks.append(communication)
        if live:
            con.execute(
                "insert into review.tasks values (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    f"tk_send_{communication}",
                    MANUAL_TASKS[channel],
                    prospect,
                    campaign_id,
                    campaigns[campaign_id].owner,
                    f"approved {channel} message for {recipient}: {communication}",
                    clock.now().replace(tzinfo=None),
                    None,
                ],
            )
        log(
            f"{'task' if live else 'would create task'} {MANUAL_TASKS[channel]} for {communication}"
        )
    known = frozenset(tables_present(db.get(), *RULE_TABLES))
    run = SendRun(ws, db, config, transport, report, clock, as_of, sleep, log, known)
    last_intake, since_intake = time.monotonic(), 0
    try:
        for row in queue:
            if (
                since_intake >= INTAKE_EVERY_MESSAGES
                or time.monotonic() - last_intake >= INTAKE_EVERY_SECONDS
            ):
                taken = intake()
                last_intake, since_intake = time.monotonic(), 0
            since_intake += 1
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
            _send_one(
                row,
                campaigns[row["campaign_id"]],
                held[row["campaign_id"]],
                run,
                taken.pending_requests,
            )
    finally:
        transport.close()
        db.let_go()
    with connect(ws.warehouse, read_only=True) as con:
        report.outcome_unknown = [r[0] for r in con.execute(OUTCOME_UNKNOWN_SQL).fetchall()]
    return report


def _send_one(row, campaign, campaign_held, run: SendRun, pending) -> None:
    ws, db, config, transport, report = run.ws, run.db, run.config, run.transport, run.report
    clock, as_of, sleep, log = run.clock, run.as_of, run.sleep, run.log
    communication = row["communication_id"]
    now = clock.now()
    day = as_of or now.date()
    con = db.get()
    if con.execute(
        "select 1 from send.claims where communication_id = ?", [communication]
    ).fetchall():
        report.skipped_claimed.append(communication)
        return
    reason = (
        gate.forgotten(con, row, pending)
        or gate.suppressed(con, row, campaign.client_id, day, run.known_tables)
        or gate.approval_void(con, row, day)
        or gate.sequence_stopped(con, row)
        or campaign_held
        or gate.over_contact_budget(
            con, row, config.channels.contact_budget.first_touches_per_day, day
        )
        or gate.over_cap(con, row, campaign, now.date())
        or gate.outside_window(row, campaign, now)
    )
    if reason is None:
        try:
            message = build_email(
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
            message.as_bytes()
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
    last = (
        con.execute(
            "select max(claimed_at) from send.claims where campaign_id = ?", [campaign.campaign_id]
        ).fetchall()[0][0]
        if campaign.min_gap_seconds > 0
        else None
    )
    if last is not None:
        waited = (now.replace(tzinfo=None) - last).total_seconds()
        if waited < campaign.min_gap_seconds:
            db.let_go()  # others take their turn while this run waits
            sleep(campaign.min_gap_seconds - waited)
            now = clock.now()
    claimed = claim(
        db.get(),
        communication,
        row["approved_content_hash"],
        campaign.campaign_id,
        row["prospect_id"],
        row["recipient"],
        now,
        report.run_id,
        transport.name,
    )
    if not claimed:
        report.skipped_claimed.append(communication)  # another run claimed it first
        return
    # claimed and committed: from here a crash leaves "outcome unknown", never a resend
    attempts, status, provider_id, result = 1, SENT, None, ""
    try:
        sent: Sent = transport.send(message)
        provider_id, result, attempts = sent.provider_message_id, sent.response, sent.attempts
        report.sent.append(communication)
    except TransientFailure as exc:
        status, result, attempts = TRANSIENT, exc.response, exc.attempts
        report.failed.append((communication, status, result))
    except PermanentFailure as exc:
        status, result = PERMANENT, exc.response
        report.failed.append((communication, status, result))
        if exc.hard_bounce:
            land_suppressions(
                db.get(),
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
    except OutcomeUnknown as exc:
        status, result = UNKNOWN, str(exc)
        report.failed.append((communication, status, result))
    log(f"{status} {communication}: {result}")
    _record(
        db.get(),
        row,
        campaign,
        report.run_id,
        status,
        provider_id,
        result,
        attempts,
        message["Message-ID"],
        clock.now(),
    )


def claim(
    con: duckdb.DuckDBPyConnection,
    communication: str,
    content_hash: str,
    campaign_id: str,
    prospect_id: str,
    recipient: str,
    at: datetime,
    run_id: str,
    transport: str,
) -> bool:
    """Claim a communication for sending, committed at once; False if anyone claimed it before."""
    try:
        con.execute(
            "insert into send.claims values (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                communication,
                content_hash,
                campaign_id,
                prospect_id,
                recipient,
                at.replace(tzinfo=None),
                run_id,
                transport,
            ],
        )
    except (duckdb.ConstraintException, duckdb.TransactionException):
        # a concurrent claim of the same id fails at commit (TransactionException): either
        # way someone else holds it, and not sending is the safe answer
        return False
    return True


RECORD_COLUMNS = (
    "record_id, communication_id, prospect_id, company, source_id, permission_type, offer_id, "
    "campaign_id, channel, message_type, step, ai_draft, human_edited_version, "
    "personalisation_source, evidence_id, cta_id, compliance_flag, approval_status, approved_by, "
    "approved_content_hash, sent_status, sent_at, provider_message_id, provider_result, "
    "reply_status, outcome, recipient, message_id, attempts, recorded_at, run_id, "
    "config_version, notice_version, experiment_id, arm_id"
)


def _record(
    con, row, campaign, run_id, status, provider_id, result, attempts, message_id, at
) -> None:
    record_id = (
        "sr_"
        + hashlib.sha256(f"{row['communication_id']}|{run_id}|{status}".encode()).hexdigest()[:20]
    )
    con.execute(
        f"insert into send.records ({RECORD_COLUMNS}) values (" + ", ".join(["?"] * 35) + ")",
        [
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
        ],
    )
