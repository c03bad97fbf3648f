"""Honouring requests: find each person, keep their hashed keys (erasure, objection),
pseudonymise them in the warehouse and the workspace files, and record the request and
when it was honoured. Many requests of one day are honoured in one pass over the tables.

Landing files the pipeline already ingested are rewritten without the person and their
new content hash is entered in the ledger as `redacted`, so they are never ingested twice.
After an erasure the warehouse file is rewritten (`compact_warehouse`): DuckDB leaves
deleted and updated values in free blocks until then."""

import hashlib
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from assets.privacy.file_scrub import scrub_files
from assets.privacy.person import Person, find_person
from assets.privacy.warehouse_scrub import scrub_warehouse
from core.keys import email_hash
from core.schema import ensure_operational_tables, table_exists
from core.workspace import Workspace


@dataclass(frozen=True)
class Request:
    request_id: str
    request_type: str  # erasure | objection | retention
    received_at: datetime
    source: str
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    prospect_ids: tuple[str, ...] = ()
    # retention keeps the keys only of people who are suppressed (so they stay suppressed)
    keep_keys: bool = True


@dataclass
class Honoured:
    requests: list[str] = field(default_factory=list)
    prospects: int = 0
    rows_pseudonymised: int = 0
    rows_erased: int = 0
    files_removed: list[Path] = field(default_factory=list)
    files_rewritten: list[Path] = field(default_factory=list)
    files_not_rewritten: list[Path] = field(default_factory=list)


def pending(con: duckdb.DuckDBPyConnection, requests: list[Request]) -> list[Request]:
    # the privacy tables, and the drafts, decisions and sends a person is looked up in
    ensure_operational_tables(con)
    done = {
        r[0]
        for r in con.execute(
            "select request_id from privacy.requests where honoured_at is not null"
        ).fetchall()
    }
    return [r for r in requests if r.request_id not in done]


def honour(
    con: duckdb.DuckDBPyConnection, ws: Workspace, requests: list[Request], at: datetime
) -> Honoured:
    """Honour every request not honoured before, in one pass; return what changed."""
    result = Honoured()
    requests = pending(con, requests)
    if not requests:
        return result
    people = [
        (r, find_person(con, list(r.emails), list(r.phones), list(r.prospect_ids)))
        for r in requests
    ]
    everyone = Person()
    for _, person in people:
        everyone.merge(person)
    con.execute("begin")
    try:
        for request, person in people:
            if request.keep_keys:
                keys = person.keys() | {email_hash(e): "email" for e in request.emails}
                for key, kind in keys.items():
                    con.execute(
                        "insert or ignore into privacy.erased_keys values (?, ?, ?, ?, ?)",
                        [key, kind, request.request_id, request.request_type, at],
                    )
        scrubbed = scrub_warehouse(con, everyone)
        for kind, file_sha256, rows in scrubbed.erased_by_file:
            con.execute(
                "insert into privacy.erased_rows values (?, ?, ?, ?)",
                [requests[0].request_id, kind, file_sha256, rows],
            )
        # the analysts' copy holds the marts of the last run: gone now, published again
        # (without the person) at the end of the next run
        ws.read_copy.unlink(missing_ok=True)
        files = scrub_files(ws.home, everyone, skip=(ws.config_dir,))
        _register_redacted(con, ws, files.before, requests[0].request_id, at)
        for request, person in people:
            detail = (
                f"honoured with {len(requests) - 1} other request(s) in one pass"
                if len(requests) > 1
                else None
            )
            if files.not_rewritten:
                detail = (
                    (detail + "; " if detail else "")
                    + "files not rewritten (format): "
                    + ", ".join(str(p.relative_to(ws.home)) for p in files.not_rewritten)
                )
            first = next(iter(sorted(request.emails)), None)
            con.execute(
                "insert or replace into privacy.requests values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    request.request_id,
                    request.request_type,
                    email_hash(first) if first else None,
                    request.received_at,
                    at,
                    request.source,
                    len(person.prospect_ids),
                    scrubbed.rows_pseudonymised,
                    scrubbed.rows_erased,
                    len(files.removed) + len(files.rewritten),
                    detail,
                ],
            )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    result.requests = [r.request_id for r in requests]
    result.prospects = len(everyone.prospect_ids)
    result.rows_pseudonymised = scrubbed.rows_pseudonymised
    result.rows_erased = scrubbed.rows_erased
    result.files_removed = files.removed
    result.files_rewritten = files.rewritten
    result.files_not_rewritten = files.not_rewritten
    return result


def _register_redacted(
    con: duckdb.DuckDBPyConnection,
    ws: Workspace,
    before: dict[Path, bytes],
    request_id: str,
    at: datetime,
) -> None:
    """A landing file rewritten here keeps its place in the ledger: its new hash is entered
    as `redacted` (no rows), so the next ingestion does not read it again."""
    if not table_exists(con, "raw", "file_ledger"):
        return
    for path, old in before.items():
        if not path.is_relative_to(ws.landing_dir):
            continue
        old_sha = hashlib.sha256(old).hexdigest()
        new = path.read_bytes()
        con.execute(
            """insert or ignore into raw.file_ledger
            select ?, kind, source_file, ?, encoding, 'redacted', ?, 0, 0, 0, batch_id, as_of, ?
            from raw.file_ledger where file_sha256 = ? limit 1""",
            [
                hashlib.sha256(new).hexdigest(),
                len(new),
                f"personal data removed for request {request_id}; its rows were ingested from "
                f"{old_sha[:16]}",
                at,
                old_sha,
            ],
        )


def compact_warehouse(path: Path) -> None:
    """Rewrite the DuckDB file so erased values are gone from disk, not only from tables.
    No other connection may be open."""
    path = Path(path)
    fresh = path.with_name(path.name + ".compacting")
    fresh.unlink(missing_ok=True)
    con = duckdb.connect()
    try:
        con.execute(f"attach '{path}' as old_db (read_only)")
        con.execute(f"attach '{fresh}' as new_db")
        con.execute("copy from database old_db to new_db")
        con.execute("detach old_db")
        con.execute("detach new_db")
    finally:
        con.close()
    os.replace(fresh, path)
    Path(str(path) + ".wal").unlink(missing_ok=True)
