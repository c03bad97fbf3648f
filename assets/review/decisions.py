"""Decisions come back: a returned review queue (XLSX or CSV) is validated row by row.

Each row is bound to its draft by its review token (communication id + content hash at
export). Accepted rows go to `review.decisions`; every refused row goes to
`review.rejected_decisions` with a reason a reviewer can act on (nothing is lost).
Edit And Approve re-lints the edited text and binds the approval to its new hash.
Suppress lands a suppression event and ingests it at once; Park and Request More
Research record a prospect state; Route To Sales Owner, Change Channel and Change CTA
create tasks. What each decision does to the pair: Reject ends it in the campaign
(Closed), Change CTA redrafts with the offer's next CTA (refused when the offer has only
one), Change Channel ends it in the campaign with a task for the owner. A file already
imported (same bytes) is skipped."""

import csv
import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
from openpyxl import load_workbook

from assets.drafting.message import content_hash, review_token
from assets.drafting.proposal_follow_ups import proposal_terms
from assets.exports.review_queue import DECISIONS, REVIEWER_COLUMNS
from assets.exports.spreadsheet_safety import restore
from assets.ingestion.suppression_events import SuppressionEvent, land_suppressions
from core.config import Channel, OutreachConfig
from core.mail_headers import CONTROL
from core.message_lint import MessageContext, lint_message
from core.reference import authorities_that_may_send
from core.schema import ensure_operational_tables, table_exists
from core.suppression_rule import suppression_in_effect
from core.workspace import Workspace

APPROVALS = ("Approve", "Edit And Approve")
TASKS = {
    "Route To Sales Owner": "route_to_sales_owner",
    "Change Channel": "change_channel",
    "Change CTA": "change_cta",
}
STATES = {"Park": "Parked", "Request More Research": "Research Requested"}
# when one review token comes back with different decisions, the most restrictive wins
RESTRICTIVENESS = (
    "Suppress",
    "Reject",
    "Park",
    "Request More Research",
    "Route To Sales Owner",
    "Change Channel",
    "Change CTA",
    "Edit And Approve",
    "Approve",
)
_DECISION_OF = {" ".join(d.lower().split()): d for d in DECISIONS}


def agreed_terms(con: duckdb.DuckDBPyConnection, prospect_id: str, campaign_id: str) -> tuple:
    """The terms a human agreed in writing for this pair: its latest proposal's record."""
    if not table_exists(con, "intermediate", "int_proposal_states"):
        return ()
    found = con.execute(
        "select proposal_scope, proposal_price from intermediate.int_proposal_states "
        "where prospect_id = ? and campaign_id = ?",
        [prospect_id, campaign_id],
    ).fetchall()
    return proposal_terms(*found[0]) if found else ()


def decision_of(text: str | None) -> str | None:
    """A decision as the reviewer typed it, matched without regard to case or spacing."""
    if text is None:
        return None
    return _DECISION_OF.get(" ".join(text.lower().replace("_", " ").split()), text.strip())


def most_restrictive_first(rows: list[dict]) -> tuple[list[dict], list[tuple[dict, str]]]:
    """Rows to judge (for each token only its most restrictive decision) and the rows that
    lost to it, with the reason the import reports."""
    rank = {d: i for i, d in enumerate(RESTRICTIVENESS)}
    by_token: dict[str, list[dict]] = {}
    for row in rows:
        token = _text(row.get("review_token"))
        if token:
            by_token.setdefault(token, []).append(row)
    kept, lost = [], []
    for row in rows:
        token = _text(row.get("review_token"))
        same = by_token.get(token or "", [row])
        if len(same) == 1:
            kept.append(row)
            continue
        winner = min(
            same, key=lambda r: (rank.get(decision_of(_text(r.get("decision"))), 99), r["_row"])
        )
        if row is winner:
            kept.append(row)
            continue
        decisions = sorted({decision_of(_text(r.get("decision"))) or "none" for r in same})
        lost.append(
            (
                row,
                f"review token {token} appears more than once ({len(same)} times)"
                + (
                    f" with different decisions ({', '.join(decisions)}): the most restrictive, "
                    f"{decision_of(_text(winner.get('decision')))} (row {winner['_row']}), wins"
                    if len(decisions) > 1
                    else f": row {winner['_row']} counts"
                ),
            )
        )
    return kept, lost


class DecisionFileError(ValueError):
    """The file as a whole cannot be read (wrong type, no header, missing columns)."""


@dataclass
class ImportResult:
    source_file: str
    rows_in: int = 0
    accepted: int = 0
    rejected: int = 0
    undecided: int = 0
    already_imported: bool = False
    reasons: list[tuple[int, str]] = field(default_factory=list)


def read_rows(path: Path) -> list[dict[str, object]]:
    """The rows of a returned queue, keyed by header; row numbers as a spreadsheet shows them."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        try:
            sheet = load_workbook(path, read_only=True, data_only=False).worksheets[0]
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise DecisionFileError(f"{path}: not a readable XLSX workbook ({exc})") from None
        values = list(sheet.iter_rows(values_only=True))
    elif suffix == ".csv":
        try:
            with path.open(newline="", encoding="utf-8-sig") as handle:
                values = list(csv.reader(handle))
        except UnicodeDecodeError as exc:
            raise DecisionFileError(
                f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})"
            ) from None
    else:
        raise DecisionFileError(
            f"{path}: a returned queue is .xlsx or .csv, not {suffix or 'no extension'}"
        )
    if not values:
        raise DecisionFileError(f"{path}: empty file, no header row")
    header = [str(h).strip().lower() if h is not None else "" for h in values[0]]
    missing = [c for c in ("review_token", *REVIEWER_COLUMNS) if c not in header]
    if missing:
        raise DecisionFileError(
            f"{path}: missing column(s) {missing}; return the exported file with its header"
        )
    rows = []
    for number, row in enumerate(values[1:], start=2):
        record = {name: (row[i] if i < len(row) else None) for i, name in enumerate(header) if name}
        record["_row"] = number
        rows.append(record)
    return rows


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(restore(value) if isinstance(value, str) else value)
    return text if text.strip() else None


def _drafts(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    rows = con.sql("select * from drafting.drafts").pl()
    return {r["communication_id"]: r for r in rows.iter_rows(named=True)}


def _known_tokens(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {
        review_token(c, h)
        for c, h in con.execute(
            "select communication_id, content_hash from drafting.draft_history"
        ).fetchall()
    }


def import_decisions(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    ws: Workspace,
    config: OutreachConfig,
    as_of: date,
    at: datetime | None = None,
) -> ImportResult:
    """Import one returned queue; `at` is when the decisions count as made (default: now)."""
    ensure_operational_tables(con)
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    name = str(path)
    result = ImportResult(source_file=name)
    if con.execute(
        "select 1 from review.decision_files where file_sha256 = ?", [digest]
    ).fetchall():
        result.already_imported = True
        return result
    rows = read_rows(path)
    drafts = _drafts(con)
    known = _known_tokens(con)
    campaigns = {c.campaign_id: c for c in config.campaigns}
    offers = {o.offer_id: o for o in config.offers}
    notices = {s.source_id: s.notice for s in config.sources}
    # decisions are made on the run date (the clock gives only the time of day)
    now = at or datetime.combine(as_of, datetime.now(UTC).time())
    accepted, rejected, suppress, seen = [], [], [], set()
    anyway: list[SuppressionEvent] = []  # Suppress on rows refused as decisions

    def _suppress_anyway(con, row: dict, communications: set[str]) -> str:
        token = _text(row.get("review_token")) or ""
        communication = token.partition(".")[0]
        found = (
            con.execute(
                "select d.recipient, d.channel, p.email, p.phone from drafting.draft_history as h "
                "left join drafting.drafts as d using (communication_id) "
                "left join marts.prospects as p on p.prospect_id = h.prospect_id "
                "where h.communication_id = ? limit 1",
                [communication],
            ).fetchall()
            if communication in communications
            else []
        )
        recipient = _text(row.get("recipient"))
        if found:
            draft_recipient, channel, email, phone = found[0]
            email = draft_recipient if channel == "email" and draft_recipient else email
        else:
            email, phone = recipient if recipient and "@" in recipient else None, None
        if not (email or phone):
            return (
                "the Suppress could not be tied to anyone (unknown token, no address): a person "
                "must apply it"
            )
        anyway.append(
            SuppressionEvent(
                f"REVIEW-{digest[:12]}-row{row['_row']}",
                "internal_exclusion",
                _text(row.get("reviewer")) or "reviewer (unnamed)",
                email=email,
                phone=phone,
            )
        )
        return f"the Suppress was applied anyway ({email or phone})"

    def refuse(row: dict, reason: str) -> None:
        if decision_of(_text(row.get("decision"))) == "Suppress" and not reason.startswith(
            "review token"
        ):
            # a reviewer's Suppress is never dropped: the person is suppressed even when the
            # row fails as a decision
            landed = _suppress_anyway(con, row, known_communications)
            reason += f"; {landed}"
        rejected.append((row, reason))

    known_communications = {t.partition(".")[0] for t in known}
    rows, lost = most_restrictive_first(rows)
    for row, reason in lost:
        result.rows_in += 1
        rejected.append((row, reason))
    for row in rows:
        token = _text(row.get("review_token"))
        decision = decision_of(_text(row.get("decision")))
        reviewer = _text(row.get("reviewer"))
        edited_subject = _text(row.get("edited_subject"))
        edited_body = _text(row.get("edited_body"))
        notes = _text(row.get("notes"))
        if not any((decision, reviewer, edited_subject, edited_body, notes)):
            result.undecided += 1  # not decided yet: the draft stays in the queue
            continue
        result.rows_in += 1
        if not decision:
            refuse(row, "no decision given (reviewer columns are filled but decision is empty)")
            continue
        if decision not in DECISIONS:
            refuse(row, f"decision {decision!r} is not one of: {', '.join(DECISIONS)}")
            continue
        if not reviewer:
            refuse(row, "no reviewer named: every decision records who made it")
            continue
        if not token or token not in known:
            refuse(row, f"unknown review token {token!r}: not a draft this workspace made")
            continue
        seen.add(token)
        communication, _, token_hash = token.partition(".")
        draft = drafts.get(communication)
        if draft is None:
            refuse(
                row,
                "stale token: the draft is no longer current (the prospect left the candidates)",
            )
            continue
        if not draft["content_hash"].startswith(token_hash):
            refuse(
                row,
                f"the draft changed since export (token {token_hash}, draft now "
                f"{draft['content_hash'][:16]}): decide on the new version",
            )
            continue
        campaign = campaigns[draft["campaign_id"]]
        if decision in APPROVALS and draft["send_authority"] not in authorities_that_may_send():
            refuse(
                row,
                f"campaign {campaign.campaign_id} is {draft['send_authority']}: its drafts cannot "
                f"be approved to send (use Route To Sales Owner, Reject or Park)",
            )
            continue
        if decision == "Change CTA" and len(offers[campaign.offer_id].ctas) < 2:
            refuse(
                row,
                f"offer {campaign.offer_id} has one approved CTA: there is no other to redraft "
                "with (add one to config/offers.yml, or choose Reject, Park or Route To Sales "
                "Owner)",
            )
            continue
        if (edited_subject or edited_body) and decision != "Edit And Approve":
            refuse(row, f"edited text needs the decision Edit And Approve, not {decision}")
            continue
        suppressed = suppression_in_effect(
            con,
            draft["prospect_id"],
            draft["recipient"] if draft["channel"] == "email" else None,
            draft["channel"],
            campaign.client_id,
            as_of,
        )
        if suppressed and decision != "Suppress":
            refuse(row, f"the prospect was suppressed since export: {suppressed}")
            continue
        subject, body, approved_hash = None, None, None
        if decision == "Approve":
            if not draft["lint_passed"]:
                refuse(
                    row, f"the draft fails lint ({draft['lint_failures']}): it cannot be approved"
                )
                continue
            subject, body, approved_hash = draft["subject"], draft["body"], draft["content_hash"]
        elif decision == "Edit And Approve":
            for label, value in (("edited_subject", edited_subject), ("edited_body", edited_body)):
                if value and value.startswith("="):
                    refuse(row, f"{label} is a spreadsheet formula, not text")
                    break
                # a subject becomes a mail header: a line break in it could inject headers
                if label == "edited_subject" and value and CONTROL.search(value):
                    refuse(row, "edited_subject contains a line break or control character")
                    break
            else:
                if not edited_body:
                    refuse(row, "Edit And Approve needs the edited body in edited_body")
                    continue
                subject = edited_subject or draft["subject"]
                body = edited_body.replace("\r\n", "\n")
                offer = offers[campaign.offer_id]
                unsafe = [
                    o
                    for (o,) in con.execute(
                        "select observation from marts.prospect_evidence where prospect_id = ? "
                        "and not is_safe_to_mention",
                        [draft["prospect_id"]],
                    ).fetchall()
                ]
                safe = [
                    o
                    for (o,) in con.execute(
                        "select observation from marts.prospect_evidence where prospect_id = ? "
                        "and is_safe_to_mention",
                        [draft["prospect_id"]],
                    ).fetchall()
                ]
                lint = lint_message(
                    subject,
                    body,
                    MessageContext(
                        channel=Channel(draft["channel"]),
                        # approved answers are approved wording, like the claims
                        approved_claims=tuple(c.text for c in offer.approved_claims)
                        + tuple(a.text for a in offer.approved_answers),
                        ctas=tuple(c.text for c in offer.ctas),
                        safe_evidence=tuple(safe),
                        unsafe_evidence=tuple(unsafe),
                        # an edit must keep the Art. 14 notice the draft carried
                        required_notice=notices.get(draft.get("notice_source_id") or ""),
                        # the pair's proposal record: its scope and price, no other terms
                        approved_terms=agreed_terms(
                            con, draft["prospect_id"], draft["campaign_id"]
                        ),
                    ),
                    config.messaging,
                )
                if not lint.passed:
                    refuse(row, f"the edit fails lint: {'; '.join(lint.failures)}")
                    continue
                approved_hash = content_hash(
                    draft["channel"], draft["recipient"] or "", subject, body
                )
            if approved_hash is None:
                continue
        decision_id = "dc_" + hashlib.sha256(f"{digest}|{row['_row']}".encode()).hexdigest()[:20]
        accepted.append(
            {
                "decision_id": decision_id,
                "review_token": token,
                "communication_id": communication,
                "draft_content_hash": draft["content_hash"],
                "prospect_id": draft["prospect_id"],
                "campaign_id": draft["campaign_id"],
                "decision": decision,
                "reviewer": reviewer,
                "approved_subject": subject,
                "approved_body": body,
                "approved_content_hash": approved_hash,
                "notes": notes,
                "decided_at": now,
                "expires_on": as_of + timedelta(days=campaign.approval_valid_days)
                if decision in APPROVALS
                else None,
                "source_file": name,
                "source_row": row["_row"],
                # the version the reviewer decided on: the one the draft was made under
                "config_version": draft.get("config_version"),
                "_owner": campaign.owner,
                "_recipient": draft["recipient"],
                "_channel": draft["channel"],
            }
        )
        if decision == "Suppress":
            suppress.append(accepted[-1])

    if suppress or anyway:
        land_suppressions(
            con,
            ws,
            config,
            _suppression_events(con, suppress) + anyway,
            f"review-{as_of.isoformat()}-{digest[:12]}",
            as_of,
        )

    con.execute("begin transaction")
    try:
        for a in accepted:
            con.execute(
                "insert into review.decisions (decision_id, review_token, communication_id, "
                "draft_content_hash, prospect_id, campaign_id, decision, reviewer, "
                "approved_subject, approved_body, approved_content_hash, notes, decided_at, "
                "expires_on, source_file, source_row, config_version) values (?, ?, ?, ?, ?, ?, ?, "
                "?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    a[k]
                    for k in (
                        "decision_id",
                        "review_token",
                        "communication_id",
                        "draft_content_hash",
                        "prospect_id",
                        "campaign_id",
                        "decision",
                        "reviewer",
                        "approved_subject",
                        "approved_body",
                        "approved_content_hash",
                        "notes",
                        "decided_at",
                        "expires_on",
                        "source_file",
                        "source_row",
                        "config_version",
                    )
                ],
            )
            if a["decision"] in TASKS:
                con.execute(
                    "insert into review.tasks values (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        "tk_" + a["decision_id"][3:],
                        TASKS[a["decision"]],
                        a["prospect_id"],
                        a["campaign_id"],
                        a["_owner"],
                        a["notes"],
                        now,
                        a["decision_id"],
                    ],
                )
            if a["decision"] in STATES:
                con.execute(
                    "insert into review.prospect_states values (?, ?, ?, ?, ?, ?)",
                    [
                        a["prospect_id"],
                        a["campaign_id"],
                        STATES[a["decision"]],
                        a["notes"],
                        now,
                        a["decision_id"],
                    ],
                )
        for row, reason in rejected:
            clean = {k: (str(v) if v is not None else None) for k, v in row.items() if k != "_row"}
            con.execute(
                "insert into review.rejected_decisions values (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    name,
                    row["_row"],
                    _text(row.get("review_token")),
                    _text(row.get("decision")),
                    _text(row.get("reviewer")),
                    reason,
                    json.dumps(clean, ensure_ascii=False),
                    now,
                ],
            )
        con.execute(
            "insert into review.decision_files values (?, ?, ?, ?, ?, ?)",
            [digest, name, result.rows_in, len(accepted), len(rejected), now],
        )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    result.accepted = len(accepted)
    result.rejected = len(rejected)
    result.reasons = [(row["_row"], reason) for row, reason in rejected]
    return result


def _suppression_events(con, rows: list[dict]) -> list[SuppressionEvent]:
    """A reviewer's Suppress: every address and number the prospect is known by."""
    events = []
    for a in rows:
        found = con.execute(
            "select email, phone from marts.prospects where prospect_id = ?", [a["prospect_id"]]
        ).fetchall()
        email, phone = found[0] if found else (None, None)
        if a["_channel"] == "email":
            email = a["_recipient"]
        events.append(
            SuppressionEvent(
                f"REVIEW-{a['decision_id']}",
                "internal_exclusion",
                a["reviewer"],
                email=email,
                phone=phone,
            )
        )
    return events
