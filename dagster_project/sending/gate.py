"""The checks at the moment of sending, in the framework's order: suppression (including
events that arrived after the queue was built), the approval and its content hash, the
sequence state, the campaign's authority, then volume (pilot cap, daily and per-domain
caps) and the send window in the recipient's time zone. Each returns why not, or None."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import duckdb

from assets.privacy.warehouse_scrub import ERASED
from core.config import Campaign
from core.keys import email_hash, erased_key_of
from core.reference import authorities_that_may_send
from core.suppression_rule import suppression_in_effect


def forgotten(
    con: duckdb.DuckDBPyConnection, row: dict, pending: dict[str, str] | None = None
) -> str | None:
    """The recipient asked to be forgotten (erasure or objection): only the hash of their
    address is left, and it refuses every send for good. `pending`: requests read from
    files since the last daily run (by key hash), honoured in full by the next one."""
    recipient = row.get("recipient") or ""
    if recipient == ERASED:
        return "the recipient asked to be forgotten (data erased)"
    if pending and (request := pending.get(email_hash(recipient))):
        return f"the recipient asked to be forgotten (request {request}, honoured at the next run)"
    hit = erased_key_of(con, [email_hash(recipient)]) if recipient else {}
    if hit:
        request, kind = next(iter(hit.values()))
        return f"the recipient asked to be forgotten ({kind} request {request})"
    return None


def suppressed(
    con: duckdb.DuckDBPyConnection,
    row: dict,
    client_id: str | None,
    as_of: date,
    known_tables: frozenset[tuple[str, str]] = frozenset(),
) -> str | None:
    found = suppression_in_effect(
        con,
        row["prospect_id"],
        row["recipient"],
        "email",
        client_id,
        as_of,
        known_tables=known_tables,
    )
    return f"suppressed: {found}" if found else None


def approval_void(con: duckdb.DuckDBPyConnection, row: dict, as_of: date) -> str | None:
    latest = con.execute(
        """
        select d.decision, d.approved_content_hash, d.draft_content_hash, d.expires_on,
        f.content_hash
        from review.decisions as d
        left join drafting.drafts as f on d.communication_id = f.communication_id
        where d.communication_id = ?
        order by d.decided_at desc, d.decision_id desc limit 1
        """,
        [row["communication_id"]],
    ).fetchall()
    if not latest:
        return "no approval on record"
    decision, approved_hash, draft_hash_at_decision, expires_on, draft_hash_now = latest[0]
    if decision not in ("Approve", "Edit And Approve"):
        return f"the latest decision is {decision}, not an approval"
    if approved_hash != row["approved_content_hash"]:
        return "the approval is bound to other content than the queued message"
    if draft_hash_now != draft_hash_at_decision:
        return "the draft changed after approval: the approval is void"
    if expires_on is None or expires_on < as_of:
        return f"the approval expired on {expires_on}"
    return None


RESPONSE_OUT_OF_DATE = """
select m.reply_class from inbound.messages as m, inbound.messages as answered
where answered.content_hash = ? and m.content_hash <> answered.content_hash
    and (m.prospect_id = ? or lower(m.sender) = ?)
    and (m.creates_suppression or (m.stops_sequence and coalesce(m.received_at,
        cast(m.received_on as timestamp)) > coalesce(answered.received_at,
        cast(answered.received_on as timestamp))))
limit 1
"""


def sequence_stopped(con: duckdb.DuckDBPyConnection, row: dict) -> str | None:
    """A message that stops the sequence arrived since the approval: the reviewer did not
    see it, so the approved message is out of date (the state machine decides the rest).
    A response (step 0) answers a reply that stopped the sequence: it is out of date when
    the person opted out, complained or bounced at any time, or wrote again since."""
    if row.get("answers_message"):
        found = con.execute(
            RESPONSE_OUT_OF_DATE,
            [row["answers_message"], row["prospect_id"], (row.get("recipient") or "").lower()],
        ).fetchall()
        return f"the reply it answers is out of date: a {found[0][0]} since" if found else None
    found = con.execute(
        "select reply_class from inbound.messages where (prospect_id = ? or lower(sender) = ?) "
        "and stops_sequence and received_on >= cast(? as date) limit 1",
        [
            row["prospect_id"],
            (row.get("recipient") or "").lower(),
            row.get("approved_at") or date.min,
        ],
    ).fetchall()
    return f"the sequence stopped: a {found[0][0]} reply" if found else None


def _measured(con: duckdb.DuckDBPyConnection, sql: str, campaign_id: str) -> tuple | None:
    """A campaign's row of a mart the daily run measures, or None before the first run."""
    try:
        found = con.execute(sql, [campaign_id]).fetchall()
    except duckdb.CatalogException:
        return None
    return found[0] if found else None


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
    con: duckdb.DuckDBPyConnection, row: dict, campaign: Campaign, today: date
) -> str | None:
    """The campaign's pilot, daily and per-domain caps on outreach. A response answering a
    person's reply, or following up a proposal they asked for, is a conversation, not
    volume: no cap holds it."""
    if row.get("answers_message") or row.get("message_type") == "Proposal Follow-Up":
        return None
    [(sent_today, total, domain_today)] = con.execute(
        """
        select
            count(*) filter (where cast(claimed_at as date) = ?),
            count(*),
            count(*) filter (where cast(claimed_at as date) = ? and split_part(lower(recipient),
            '@', 2) = split_part(lower(?), '@', 2))
        from send.claims
        where campaign_id = ?
        """,
        [today, today, row["recipient"], campaign.campaign_id],
    ).fetchall()
    # the pilot gate has not passed until it is measured as passed: the pilot size caps all sends
    if total >= campaign.pilot_gate.pilot_size:
        passed, failed = _measured(
            con,
            "select passed, failed_checks from marts.pilot_gate_status where campaign_id = ?",
            campaign.campaign_id,
        ) or (False, "not measured yet")
        if not passed:
            return (
                f"pilot cap reached ({campaign.pilot_gate.pilot_size} sends) until the pilot gate "
                f"passes; failing: {failed}"
            )
    if sent_today >= campaign.daily_cap:
        return f"daily cap reached ({campaign.daily_cap})"
    if domain_today >= campaign.per_domain_daily_cap:
        return (
            f"per-domain daily cap reached ({campaign.per_domain_daily_cap}) for "
            f"{row['recipient'].rsplit('@', 1)[1]}"
        )
    return None


FIRST_TOUCHES_TODAY = """
select count(*), string_agg(distinct campaign_id, ', ' order by campaign_id) from (
    select c.campaign_id, c.communication_id from send.claims as c
    where c.prospect_id = ? and cast(c.claimed_at as date) = ?
    union all
    select t.campaign_id, substr(t.task_id, 9) from review.tasks as t
    where t.prospect_id = ? and cast(t.created_at as date) = ? and t.task_id like 'tk_send_%'
) as touched
where touched.communication_id <> ? and exists (
    select 1 from drafting.draft_history as h
    where h.communication_id = touched.communication_id and h.step = 1
)
"""


def over_contact_budget(
    con: duckdb.DuckDBPyConnection, row: dict, budget: int, today: date
) -> str | None:
    """At most `budget` first touches a day to one person, whatever the campaign or the
    channel: an email claimed for sending and a message handed to a person as a task both
    count (config/channels.yml contact_budget)."""
    if int(row["step"]) != 1:
        return None
    person, message = row["prospect_id"], row["communication_id"]
    [(touched, campaigns)] = con.execute(
        FIRST_TOUCHES_TODAY, [person, today, person, today, message]
    ).fetchall()
    if touched >= budget:
        return (
            f"contact budget: {touched} first touch(es) to this person today already "
            f"({campaigns}); at most {budget} a day whatever the channel: it waits for a later day"
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
