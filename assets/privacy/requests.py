"""Erasure and objection requests as landing files (`landing/requests/*.csv`) and from
the command line (`outreach forget EMAIL`), and retention as requests the daily run makes.

A request file has the columns request_ref, email, request_type (erasure | objection)
and received_at (ISO 8601). A row that cannot be honoured goes to raw.quarantine (kind
`requests`) with the reason, its address replaced by its hash."""

import csv
import io
import json
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

from assets.ingestion import ensure_tables
from assets.privacy.erase import Request
from assets.privacy.store import REQUEST_TYPES, email_key
from dagster_project.workspace import Workspace

COLUMNS = ("request_ref", "email", "request_type", "received_at")


def requests_dir(ws: Workspace) -> Path:
    return ws.landing_dir / "requests"


def read_request_files(con: duckdb.DuckDBPyConnection, ws: Workspace, as_of: date) -> list[Request]:
    ensure_tables(con)
    folder = requests_dir(ws)
    out: list[Request] = []
    if not folder.exists():
        return out
    for path in sorted(p for p in folder.rglob("*.csv") if not p.name.startswith(".")):
        relative = str(path.relative_to(ws.home))
        text = path.read_bytes().decode("utf-8-sig", "replace")
        reader = csv.DictReader(io.StringIO(text))
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        for number, row in enumerate(reader, start=2):
            ref = (row.get("request_ref") or "").strip() or f"{relative}:{number}"
            email = (row.get("email") or "").strip()
            kind = (row.get("request_type") or "").strip().lower()
            reason = None
            if missing:
                reason = f"file lacks column(s) {missing}"
            elif email == "[erased]":
                continue  # honoured before: the file was rewritten without the address
            elif "@" not in email:
                reason = "email is missing or not an address"
            elif kind not in REQUEST_TYPES:
                reason = f"request_type {kind!r} is not one of {list(REQUEST_TYPES)}"
            try:
                received = datetime.fromisoformat((row.get("received_at") or "").strip())
            except ValueError:
                received, reason = (
                    None,
                    reason or f"received_at {row.get('received_at')!r} is not ISO 8601",
                )
            if reason:
                _quarantine(con, relative, number, reason, ref, email, as_of)
                continue
            out.append(
                Request(
                    ref, kind, received.replace(tzinfo=None), f"file {relative}", emails=(email,)
                )
            )
    return out


def _quarantine(
    con, relative: str, number: int, reason: str, ref: str, email: str, as_of: date
) -> None:
    exists = con.execute(
        "select count(*) from raw.quarantine where kind = 'requests' and source_file = ? and row_number = ?",
        [relative, number],
    ).fetchall()[0][0]
    if exists:
        return
    original = json.dumps({"request_ref": ref, "email_sha256": email_key(email) if email else None})
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
