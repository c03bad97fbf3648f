"""Erasure and objection requests as landing files (`landing/requests/*.csv`) and from
the command line (`outreach forget EMAIL`), and retention as requests the daily run makes.

A request file has the columns request_ref, email, request_type (erasure | objection)
and received_at (ISO 8601). A row that cannot be honoured goes to raw.quarantine (kind
`requests`) with the reason, its address replaced by its hash."""

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import polars as pl

from assets.ingestion.ingest import ensure_tables
from assets.ingestion.landing import UnreadableFile, read_csv, with_aliases
from assets.ingestion.landing_schemas import EMAIL_ALIASES
from assets.ingestion.suppression_input import AT_ONCE, effective_of, phrase_of
from assets.privacy.erase import Request
from core.keys import email_hash
from core.normalise import normalise_emails
from core.workspace import Workspace

COLUMNS = ("request_ref", "email", "request_type", "received_at")


def requests_dir(ws: Workspace) -> Path:
    return ws.landing_dir / "requests"


REQUEST_TYPE_WORDS = {
    "erasure": (
        "erasure",
        "erase",
        "delete",
        "deletion",
        "forget",
        "forget me",
        "right to be forgotten",
        "art 17",
    ),
    "objection": ("objection", "object", "opt out", "optout", "stop", "do not contact", "art 21"),
}
ALIASES = EMAIL_ALIASES | {
    "type": "request_type",
    "request": "request_type",
    "kind": "request_type",
    "date": "received_at",
    "received": "received_at",
    "received_on": "received_at",
    "ref": "request_ref",
    "id": "request_ref",
}


def _request_type(text: str | None) -> str:
    """What the requester asked for; anything else stops contact as an objection (an
    erasure is never guessed: it destroys data)."""
    phrase = phrase_of(text or "")
    for kind, words in REQUEST_TYPE_WORDS.items():
        if phrase in words or any(f" {w} " in f" {phrase} " for w in words if len(w) > 4):
            return kind
    return "objection"


def read_request_files(con: duckdb.DuckDBPyConnection, ws: Workspace, as_of: date) -> list[Request]:
    """Every request row that names an address, however the file spells it (UTF-8 or
    UTF-16, `;` or `,`, its own header names): a row that cannot say what it wants still
    stops contact (an objection); only a row with no address is quarantined."""
    ensure_tables(con)
    folder = requests_dir(ws)
    out: list[Request] = []
    if not folder.exists():
        return out
    start = datetime.combine(as_of, datetime.min.time())
    for path in sorted(p for p in folder.rglob("*.csv") if not p.name.startswith(".")):
        relative = str(path.relative_to(ws.home))
        try:
            read = read_csv(path.read_bytes())
        except UnreadableFile as exc:
            _quarantine(con, relative, 0, str(exc), relative, "", as_of)
            continue
        frame, _ = with_aliases(read.frame, read.columns, ALIASES)
        for name in COLUMNS:
            if name not in frame.columns:
                frame = frame.with_columns(pl.lit(None, pl.String).alias(name))
        frame = normalise_emails(frame, "email")
        for row in read.rejected:
            _quarantine(
                con,
                relative,
                row.row_number + 1,
                row.reason,
                f"{relative}:{row.row_number + 1}",
                "",
                as_of,
            )
        for row in frame.iter_rows(named=True):
            number = row["_row_number"] + 1  # as a spreadsheet numbers it (header on row 1)
            ref = (row.get("request_ref") or "").strip() or f"{relative}:{number}"
            written = (row.get("email") or "").strip()
            if written == "[erased]":
                continue  # honoured before: the file was rewritten without the address
            email = row.get("email_normalised") or (written.lower() if "@" in written else None)
            if not email:
                _quarantine(
                    con, relative, number, "email is missing or not an address", ref, written, as_of
                )
                continue
            received_text = (row.get("received_at") or "").strip()
            moment, _, _ = effective_of(received_text)
            received = datetime.fromisoformat(moment) if moment != AT_ONCE else start
            out.append(
                Request(
                    ref,
                    _request_type(row.get("request_type")),
                    received,
                    f"file {relative}",
                    emails=(email,),
                )
            )
    return out


def _quarantine(
    con, relative: str, number: int, reason: str, ref: str, email: str, as_of: date
) -> None:
    exists = con.execute(
        "select count(*) from raw.quarantine where kind = 'requests' and source_file = ? and "
        "row_number = ?",
        [relative, number],
    ).fetchall()[0][0]
    if exists:
        return
    original = json.dumps(
        {"request_ref": ref, "email_sha256": email_hash(email) if email else None}
    )
    con.execute(
        "insert into raw.quarantine values ('requests', ?, '', ?, ?, ?, 'privacy', ?, ?)",
        [relative, number, reason, original, as_of, datetime.now()],
    )


def retention_requests(
    con: duckdb.DuckDBPyConnection, inactive_days: int, as_of: date
) -> list[Request]:
    """A request per prospect with no activity for `inactive_days`, from the last build's
    marts.retention_due; suppressed people keep their hashed keys (they stay suppressed)."""
    try:
        rows = con.execute(
            "select prospect_id, is_suppressed, last_activity_on from marts.retention_due"
        ).fetchall()
    except duckdb.CatalogException:
        return []
    cutoff = as_of - timedelta(days=inactive_days)
    at = datetime.combine(as_of, datetime.min.time())
    return [
        Request(
            f"retention:{prospect}:{as_of.isoformat()}",
            "retention",
            at,
            f"retention: no activity since {last} (before {cutoff})",
            prospect_ids=(prospect,),
            keep_keys=bool(suppressed),
        )
        for prospect, suppressed, last in rows
        if last is None or last < cutoff
    ]
