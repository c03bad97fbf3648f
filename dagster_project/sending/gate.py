"""The checks at the moment of sending, in the framework's order: suppression (including
events that arrived after the queue was built), the approval and its content hash, the
sequence state, the campaign's authority, then volume (pilot cap, daily and per-domain
caps, the contact budget) and the send window in the recipient's time zone. Each returns
why not, or None.

What the warehouse knows is read for the whole queue at once (`QueueFacts`), and read
again whenever anything that could change it changes (send.py watches for that before
every message); what the send ledger counts (claims, caps, budget) is read per message
from the ledger, where another run's claim a moment ago already counts."""

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

import duckdb
import polars as pl

from assets.privacy.warehouse_scrub import ERASED
from core.config import Campaign
from core.keys import email_hash, erased_key_of
from core.reference import authorities_that_may_send
from core.send_ledger import SendLedger, domain_of
from core.suppression_rule import Asked, suppressions_in_effect


@dataclass
class QueueFacts:
    """What the warehouse says about each queued message (by communication id), as of
    one moment: the reasons that hold one, and what the volume checks need."""

    refusals: dict[str, str] = field(default_factory=dict)
    # first-step messages handed to a person as tasks today: prospect -> [(campaign, id)]
    tasks_today: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # the pilot gate as last measured: campaign -> (passed, failing checks)
    pilot: dict[str, tuple[bool, str]] = field(default_factory=dict)


def read_facts(
    con: duckdb.DuckDBPyConnection,
    queue: pl.DataFrame,
    clients: dict[str, str | None],
    pending: dict[str, str],
    day: date,
    known_tables: frozenset[tuple[str, str]] = frozenset(),
) -> QueueFacts:
    """The warehouse's reasons for every queued row, in the framework's order (the first
    reason a row meets is its reason), in a handful of queries."""
    rows = queue.to_dicts()
    facts = QueueFacts()
    for found in (
        forgotten(con, rows, pending),
        suppressed(con, rows, clients, day, known_tables),
        approval_void(con, queue, day),
        sequence_stopped(con, queue),
    ):
        for communication, reason in found.items():
            facts.refusals.setdefault(communication, reason)
    for prospect, campaign, communication in con.execute(TASKS_TODAY, [day]).fetchall():
        facts.tasks_today.setdefault(prospect, []).append((campaign, communication))
    facts.pilot = {
        campaign: (passed, failed)
        for campaign, passed, failed in _measured_all(
            con, "select campaign_id, passed, failed_checks from marts.pilot_gate_status"
        )
    }
    return facts


def forgotten(
    con: duckdb.DuckDBPyConnection, rows: list[dict], pending: dict[str, str] | None = None
) -> dict[str, str]:
    """Recipients who asked to be forgotten (erasure or objection): only the hash of their
    address is left, and it refuses every send for good. `pending`: requests read from
    files since the last daily run (by key hash), honoured in full by the next one."""
    reasons: dict[str, str] = {}
    hashes = {r["communication_id"]: email_hash(r.get("recipient") or "") for r in rows}
    erased = erased_key_of(con, [hashes[r["communication_id"]] for r in rows if r.get("recipient")])
    for row in rows:
        recipient, key = row.get("recipient") or "", hashes[row["communication_id"]]
        if recipient == ERASED:
            reason = "the recipient asked to be forgotten (data erased)"
        elif pending and (request := pending.get(key)):
            reason = (
                f"the recipient asked to be forgotten (request {request}, honoured at the next run)"
            )
        elif recipient and key in erased:
            request, kind = erased[key]
            reason = f"the recipient asked to be forgotten ({kind} request {request})"
        else:
            continue
        reasons[row["communication_id"]] = reason
    return reasons


def suppressed(
    con: duckdb.DuckDBPyConnection,
    rows: list[dict],
    clients: dict[str, str | None],
    as_of: date,
    known_tables: frozenset[tuple[str, str]] = frozenset(),
) -> dict[str, str]:
    found = suppressions_in_effect(
        con,
        [
            Asked(
                r["communication_id"],
                r["prospect_id"],
                r["recipient"],
                clients.get(r["campaign_id"]),
            )
            for r in rows
        ],
        "email",
        as_of,
        known_tables,
    )
    return {communication: f"suppressed: {label}" for communication, label in found.items()}


LATEST_DECISIONS = """
select communication_id, decision, approved_content_hash, draft_content_hash, expires_on,
    content_hash
from (
    select d.communication_id, d.decision, d.approved_content_hash, d.draft_content_hash,
        d.expires_on, f.content_hash,
        row_number() over (
            partition by d.communication_id order by d.decided_at desc, d.decision_id desc
        ) as n
    from review.decisions as d
    left join drafting.drafts as f on d.communication_id = f.communication_id
    where d.communication_id in (select unnest(?))
) where n = 1
"""


def approval_void(
    con: duckdb.DuckDBPyConnection, queue: pl.DataFrame, as_of: date
) -> dict[str, str]:
    latest = {
        row[0]: row[1:]
        for row in con.execute(LATEST_DECISIONS, [queue["communication_id"].to_list()]).fetchall()
    }
    return {
        communication: reason
        for communication, queued_hash in queue.select(
            "communication_id", "approved_content_hash"
        ).iter_rows()
        if (reason := _approval_refused(latest.get(communication), queued_hash, as_of))
    }


def _approval_refused(latest: tuple | None, queued_hash: str, as_of: date) -> str | None:
    if latest is None:
        return "no approval on record"
    decision, approved_hash, draft_hash_at_decision, expires_on, draft_hash_now = latest
    if decision not in ("Approve", "Edit And Approve"):
        return f"the latest decision is {decision}, not an approval"
    if approved_hash != queued_hash:
        return "the approval is bound to other content than the queued message"
    if draft_hash_now != draft_hash_at_decision:
        return "the draft changed after approval: the approval is void"
    if expires_on is None or expires_on < as_of:
        return f"the approval expired on {expires_on}"
    return None


# the person's messages, found by prospect or by sender address (one query each way)
THEIR_MESSAGES = """
their_messages as (
    select q.communication_id, m.* from queued as q
    inner join inbound.messages as m on m.prospect_id = q.prospect_id
    union all
    select q.communication_id, m.* from queued as q
    inner join inbound.messages as m on lower(m.sender) = lower(q.recipient)
)
"""
STOPPED = f"""
with queued as (select * from sequence_queue where answers_message is null),
{THEIR_MESSAGES}
select m.communication_id, min(m.reply_class) from their_messages as m
inner join queued as q on m.communication_id = q.communication_id
where m.stops_sequence
    and m.received_on >= cast(coalesce(q.approved_at, timestamp '0001-01-01') as date)
group by 1
"""
RESPONSE_OUT_OF_DATE = f"""
with queued as (select * from sequence_queue where answers_message is not null),
{THEIR_MESSAGES}
select m.communication_id, min(m.reply_class) from their_messages as m
inner join queued as q on m.communication_id = q.communication_id
inner join inbound.messages as answered on answered.content_hash = q.answers_message
where m.content_hash <> answered.content_hash
    and (m.creates_suppression or (m.stops_sequence and coalesce(m.received_at,
        cast(m.received_on as timestamp)) > coalesce(answered.received_at,
        cast(answered.received_on as timestamp))))
group by 1
"""


def sequence_stopped(con: duckdb.DuckDBPyConnection, queue: pl.DataFrame) -> dict[str, str]:
    """A message that stops the sequence arrived since the approval: the reviewer did not
    see it, so the approved message is out of date (the state machine decides the rest).
    A response (step 0) answers a reply that stopped the sequence: it is out of date when
    the person opted out, complained or bounced at any time, or wrote again since."""
    frame = queue.select(
        "communication_id",
        "prospect_id",
        "recipient",
        pl.col("approved_at").cast(pl.Datetime("us")),
        pl.col("answers_message").cast(pl.String),
    )
    con.register("sequence_queue", frame)
    try:
        stopped = con.execute(STOPPED).fetchall()
        answered = con.execute(RESPONSE_OUT_OF_DATE).fetchall()
    finally:
        con.unregister("sequence_queue")
    return {c: f"the sequence stopped: a {k} reply" for c, k in stopped} | {
        c: f"the reply it answers is out of date: a {k} since" for c, k in answered
    }


def _measured_all(
    con: duckdb.DuckDBPyConnection, sql: str, parameters: list | None = None
) -> list[tuple]:
    """Rows of a mart the daily run measures; none before the first run."""
    try:
        return con.execute(sql, parameters or []).fetchall()
    except duckdb.CatalogException:
        return []


def _measured(con: duckdb.DuckDBPyConnection, sql: str, campaign_id: str) -> tuple | None:
    """A campaign's row of a mart the daily run measures, or None before the first run."""
    return next(iter(_measured_all(con, sql, [campaign_id])), None)


def campaign_paused(con: duckdb.DuckDBPyConnection, campaign: Campaign) -> str | None:
    """The deliverability monitor paused the campaign (bounces or complaints over its
    thresholds in the rolling window, as of the last daily run)."""
    found = _measured(
        con,
        "select status, pause_reason from marts.deliverability_monitor where campaign_id = ?",
        campaign.campaign_id,
    )
    if found and found[0] == "paused":
        return f"campaign paused by the deliverability monitor: {found[1]}"
    return None


def not_launch_ready(con: duckdb.DuckDBPyConnection, campaign: Campaign) -> str | None:
    """A campaign whose Launch Readiness Checklist has a failing item (as of the last daily
    run) sends nothing; the refusal names the items."""
    found = _measured(
        con,
        "select is_ready, failing_items from marts.launch_readiness_status where campaign_id = ?",
        campaign.campaign_id,
    )
    if found and not found[0]:
        return f"campaign not launch-ready: {found[1]}"
    return None


def authority_refuses(campaign: Campaign) -> str | None:
    if str(campaign.send_authority) not in authorities_that_may_send():
        return f"campaign authority is {campaign.send_authority}: no sending"
    return None


def over_cap(
    ledger: SendLedger, facts: QueueFacts, row: dict, campaign: Campaign, today: date
) -> str | None:
    """The campaign's pilot, daily and per-domain caps on outreach. A response answering a
    person's reply, or following up a proposal they asked for, is a conversation, not
    volume: no cap holds it."""
    if row.get("answers_message") or row.get("message_type") == "Proposal Follow-Up":
        return None
    domain = domain_of(row["recipient"])
    sent_today, total, domain_today = ledger.campaign_counts(
        campaign.campaign_id, today, domain, campaign.pilot_gate.pilot_size
    )
    # the pilot gate has not passed until it is measured as passed: the pilot size caps all sends
    if total >= campaign.pilot_gate.pilot_size:
        passed, failed = facts.pilot.get(campaign.campaign_id, (False, "not measured yet"))
        if not passed:
            return (
                f"pilot cap reached ({campaign.pilot_gate.pilot_size} sends) until the pilot gate "
                f"passes; failing: {failed}"
            )
    if sent_today >= campaign.daily_cap:
        return f"daily cap reached ({campaign.daily_cap})"
    if domain_today >= campaign.per_domain_daily_cap:
        return f"per-domain daily cap reached ({campaign.per_domain_daily_cap}) for {domain}"
    return None


# first-step messages handed to a person as tasks on a day (a first touch each)
TASKS_TODAY = """
select t.prospect_id, t.campaign_id, substr(t.task_id, 9) from review.tasks as t
where cast(t.created_at as date) = ? and t.task_id like 'tk_send_%' and exists (
    select 1 from drafting.draft_history as h
    where h.communication_id = substr(t.task_id, 9) and h.step = 1
)
"""


def over_contact_budget(
    ledger: SendLedger, facts: QueueFacts, row: dict, budget: int, today: date
) -> str | None:
    """At most `budget` first touches a day to one person, whatever the campaign or the
    channel: an email claimed for sending and a message handed to a person as a task both
    count (config/channels.yml contact_budget)."""
    if int(row["step"]) != 1:
        return None
    person, message = row["prospect_id"], row["communication_id"]
    touched = ledger.first_touches(person, today, message) + [
        campaign for campaign, task in facts.tasks_today.get(person, []) if task != message
    ]
    if len(touched) >= budget:
        return (
            f"contact budget: {len(touched)} first touch(es) to this person today already "
            f"({', '.join(sorted(set(touched)))}); at most {budget} a day whatever the channel: "
            "it waits for a later day"
        )
    return None


def outside_window(row: dict, campaign: Campaign, now: datetime) -> str | None:
    window = campaign.send_window
    zone = ZoneInfo(window.country_timezones.get(row.get("country") or "", window.timezone))
    local = now.astimezone(zone)
    if window.weekdays_only and local.weekday() >= 5:
        return f"outside the send window: {local:%A} in {zone.key}"
    if not window.start_hour <= local.hour < window.end_hour:
        return (
            f"outside the send window: {local:%H:%M} in {zone.key} (window "
            f"{window.start_hour}:00-{window.end_hour}:00)"
        )
    return None
