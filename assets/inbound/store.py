"""Inbound mail in the warehouse: each message once (by content hash), raw bytes kept,
its class, its thread, and the action its class calls for. Unsubscribe, Complaint and
hard Bounce become suppression events at once, through the same ingestion as any file."""

import hashlib
import json
import os
import re
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl

from assets.inbound.classify import Classification, classify
from assets.inbound.dates import received_at
from assets.inbound.mailbox import read_mail
from assets.inbound.second_opinion import ask, needs_opinion, with_opinion
from assets.ingestion.suppression_events import SuppressionEvent, land_suppressions
from assets.privacy.warehouse_scrub import ERASED
from core.config import OutreachConfig
from core.keys import email_hash, erased_key_of
from core.language_model import client_from_env
from core.reference import reply_task_classes
from core.schema import ensure_operational_tables
from core.workspace import Workspace

# the classifier's rules are code and the meaning model's weights a file beside them: its
# version is the hash of both (and of whether the model is switched off)
CLASSIFIER_VERSION = hashlib.sha256(
    b"".join(
        (Path(__file__).parent / name).read_bytes()
        for name in (
            "classify.py",
            "reply_text.py",
            "reply_classes.py",
            "reply_concepts.py",
            "bounce_reasons.py",
            "delivery_status.py",
            "reply_meaning.py",
            "reply_meaning.json",
        )
    )
    + os.environ.get("OUTREACH_REPLY_MODEL", "1").encode()
).hexdigest()[:12]
FORGOTTEN_COLUMNS = (
    "sender",
    "subject",
    "bounced_recipient",
    "referred_contact",
    "evidence",
    "reply_text",
    "source",
)
SUPPRESSION_REASON = {
    "Unsubscribe": "unsubscribe",
    "Complaint": "complaint",
    "Bounce": "hard_bounce",
}


def communication_of_message_id(message_id: str | None) -> str | None:
    """The send job derives Message-IDs as <communication_id@sender domain>."""
    if message_id and message_id.startswith("<cm_"):
        return message_id[1:].split("@", 1)[0]
    return None


OUR_ID = re.compile(rb"<(cm_[0-9a-f]{20})@|X-Communication-ID:\s*(cm_[0-9a-f]{20})", re.I)
UNSUBSCRIBE_SUBJECT = re.compile(r"\bunsubscribe\s+(cm_[0-9a-f]{20})\b", re.I)


def _ours_inside(raw: bytes) -> list[str]:
    """Our communication ids quoted inside a bounce or a feedback report (the original
    message's Message-ID or X-Communication-ID header)."""
    return [f"<{(a or b).decode()}@>" for a, b in (m.groups() for m in OUR_ID.finditer(raw))]


def thread(
    con: duckdb.DuckDBPyConnection, c: Classification, raw: bytes = b""
) -> tuple[str | None, str | None, str | None]:
    """(communication_id, prospect_id, how): by In-Reply-To/References, the communication
    id in a List-Unsubscribe mail's subject, our Message-ID inside a bounce or complaint
    report, else the address."""
    unsubscribe = UNSUBSCRIBE_SUBJECT.search(c.subject or "")
    inside = _ours_inside(raw) if c.reply_class in ("Bounce", "Complaint") else []
    for header, ids in (
        ("in_reply_to", [c.in_reply_to]),
        ("references", list(c.references)),
        ("list-unsubscribe", [f"<{unsubscribe[1]}@>"] if unsubscribe else []),
        ("original message", inside),
    ):
        for mid in ids:
            communication = communication_of_message_id(mid)
            if communication:
                found = con.execute(
                    "select prospect_id from drafting.draft_history where communication_id = ? "
                    "limit 1",
                    [communication],
                ).fetchall()
                if found:
                    return communication, found[0][0], header
    address = c.bounced_recipient if c.reply_class == "Bounce" else c.sender
    if address:
        # the latest message sent to that address, else the latest draft for it
        found = (
            con.execute(
                "select communication_id, prospect_id from send.records "
                "where lower(recipient) = ? and sent_status = 'sent' order by sent_at desc limit 1",
                [address.lower()],
            ).fetchall()
            or con.execute(
                "select d.communication_id, d.prospect_id from drafting.drafts d where "
                "lower(d.recipient) = ? order by d.drafted_on desc, d.step desc limit 1",
                [address.lower()],
            ).fetchall()
        )
        if found:
            return found[0][0], found[0][1], "original recipient"
    return None, None, None


def mailed_address(con: duckdb.DuckDBPyConnection, communication: str | None) -> str | None:
    """The address a communication was (or was to be) sent to."""
    if not communication:
        return None
    found = con.execute(
        "select lower(recipient) from send.claims where communication_id = ? union all "
        "select lower(recipient) from drafting.drafts where communication_id = ? and channel = "
        "'email'",
        [communication, communication],
    ).fetchall()
    return found[0][0] if found and found[0][0] else None


def stop_targets(
    con: duckdb.DuckDBPyConnection,
    c: Classification,
    address: str | None,
    communication: str | None,
    how: str | None,
    config: OutreachConfig,
    as_of: date,
) -> list[str]:
    """Who an opt-out, complaint or hard bounce stops. The sender (or the bounced address)
    always; the address we mailed too when the message threads to our communication by
    its headers, a List-Unsubscribe mail, or our Message-ID in a report. A person at
    another organisation unsubscribing on a thread they were not sent stops themselves;
    the person we mailed goes to a human (the reply also holds their sequence)."""
    targets = [address] if address else []
    mailed = mailed_address(con, communication) if how and how != "original recipient" else None
    if not mailed or mailed in targets:
        return targets
    same_organisation = bool(address) and address.rsplit("@", 1)[-1] == mailed.rsplit("@", 1)[-1]
    if c.reply_class != "Unsubscribe" or how == "list-unsubscribe" or same_organisation:
        return [*targets, mailed]
    # the task goes to the owner of the campaign the thread belongs to
    found = con.execute(
        "select prospect_id, campaign_id from drafting.drafts where communication_id = ?",
        [communication],
    ).fetchall()
    prospect, campaign_id = found[0] if found else ("", None)
    owner = next((x.owner for x in config.campaigns if x.campaign_id == campaign_id), None)
    con.execute(
        "insert or ignore into review.tasks values (?, 'review_third_party_opt_out', ?, ?, ?, ?, "
        "?, null)",
        [
            "tk_oo_" + hashlib.sha256(f"{c.content_hash}|{mailed}".encode()).hexdigest()[:20],
            prospect,
            campaign_id,
            owner,
            f"{address or 'an unknown sender'} asked to be unsubscribed on a thread sent to "
            f"{mailed} ({communication}); suppressed the sender; decide whether {mailed} "
            "is stopped too (their sequence is held until you do)",
            datetime.combine(as_of, datetime.min.time()),
        ],
    )
    return targets


def ingest_mailbox(
    con: duckdb.DuckDBPyConnection, ws: Workspace, config: OutreachConfig, as_of: date
) -> pl.DataFrame:
    """Store and classify every new message under `<home>/mailbox/`; return the new rows."""
    # threading reads the drafts and the send records, which may not exist yet
    ensure_operational_tables(con)
    seen = {h for (h,) in con.execute("select content_hash from inbound.messages").fetchall()}
    rows, suppress = [], []
    our_lines = (config.messaging.opt_out_line,)
    model = client_from_env() if config.replies.model_second_opinion else None
    for mail in read_mail(ws.mailbox):
        c = classify(mail.raw, as_of=as_of, our_lines=our_lines)
        if c.content_hash in seen:
            continue
        seen.add(c.content_hash)
        opinion = None
        if model is not None and needs_opinion(c, config.replies.human_first_below):
            opinion = ask(model, c.reply_text, reply_task_classes())
            c = with_opinion(c, opinion)
        communication, prospect, how = thread(con, c, mail.raw)
        row = c.as_json(file=mail.source)
        row.pop("references")
        row |= {
            "source": row.pop("file"),
            "received_on": as_of,
            "received_at": received_at(mail.raw, as_of),
            "raw": mail.raw,
            "defects": json.dumps(row["defects"]),
            "communication_id": communication,
            "prospect_id": prospect,
            "threaded_by": how,
            "config_version": config.version,
            "classifier_version": CLASSIFIER_VERSION,
            "second_opinion": opinion,
        }
        address = c.bounced_recipient if c.reply_class == "Bounce" else c.sender
        if address and erased_key_of(con, [email_hash(address)]):
            # from (or about) a person who asked to be forgotten: classified, not kept
            row |= {k: ERASED for k in FORGOTTEN_COLUMNS if row.get(k)} | {"raw": None}
            rows.append(row)
            continue
        rows.append(row)
        if c.creates_suppression:
            ref = c.message_id or c.content_hash[:16]
            for target in stop_targets(con, c, address, communication, how, config, as_of):
                suppress.append((target, SUPPRESSION_REASON[c.reply_class], ref))
    if suppress:
        events = [
            SuppressionEvent(f"INBOUND-{ref}", reason, "inbound mail", email=address)
            for address, reason, ref in suppress
        ]
        key = hashlib.sha256(repr(suppress).encode()).hexdigest()[:12]
        land_suppressions(con, ws, config, events, f"inbound-{as_of.isoformat()}-{key}", as_of)
    if rows:
        frame = pl.DataFrame(rows, infer_schema_length=None)
        con.register("new_mail", frame)
        columns = [r[0] for r in con.execute("describe inbound.messages").fetchall()]
        con.execute(
            f"insert into inbound.messages ({', '.join(columns)}) select {', '.join(columns)} "
            f"from new_mail"
        )
        con.unregister("new_mail")
        return frame
    return pl.DataFrame()
