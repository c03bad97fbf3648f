"""Send-time intake: the stop signals that arrived since the daily run, taken in through
the same doors the daily run uses, before the first message and again during the send:
whenever `Watch` sees a change where they arrive (it looks before every message, in tens
of microseconds), and at least every INTAKE_EVERY_SECONDS whatever it sees.

- suppression landing files (`landing/suppressions/`): ingested into `raw.suppressions`,
  which the gate reads directly (no dbt build needed);
- erasure and objection request files (`landing/requests/`): read, and their addresses
  held from now on; the next daily run honours them in full (erasing takes the whole
  warehouse, not a moment between two messages);
- the mailbox: every new message stored and classified; an opt-out, complaint or hard
  bounce lands a suppression at once, any reply that stops the sequence holds the person.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from assets.inbound.store import ingest_mailbox
from assets.ingestion.ingest import WAITING, file_signature, ingest_kind
from assets.privacy.requests import read_request_files, requests_dir
from core.config import OutreachConfig
from core.keys import email_hash
from core.workspace import Workspace

# a send takes in again at least this often, even when Watch sees nothing change
INTAKE_EVERY_SECONDS = 60
# files a mail program writes once (a message each): their folder's time says they came
WRITTEN_ONCE = frozenset({".eml", ".msg"})
MAILDIR_PARTS = frozenset({"cur", "new", "tmp"})


@dataclass
class Intake:
    """What one intake took in, and the request keys held until the next daily run."""

    suppression_files: int = 0
    suppression_rows: int = 0
    messages: int = 0
    # suppression files still being written: nothing is sent until they are read
    suppression_files_arriving: list[str] = field(default_factory=list)
    pending_requests: dict[str, str] = field(default_factory=dict)


def take_in_stop_signals(
    con: duckdb.DuckDBPyConnection,
    ws: Workspace,
    config: OutreachConfig,
    as_of: date,
    batch_id: str,
) -> Intake:
    intake = Intake()
    results = ingest_kind(
        con, "suppressions", ws.landing("suppressions"), ws.home, as_of, config, batch_id
    )
    intake.suppression_files_arriving = [r.source_file for r in results if r.status == WAITING]
    intake.suppression_files = len(results) - len(intake.suppression_files_arriving)
    intake.suppression_rows = sum(r.rows_raw for r in results)
    for request in read_request_files(con, ws, as_of):
        for address in request.emails:
            intake.pending_requests[email_hash(address)] = request.request_id
    intake.messages = ingest_mailbox(con, ws, config, as_of).height
    return intake


class Watch:
    """Whether anything a stop signal or a gate fact comes from may have changed since the
    last look: the suppression and request landing folders (every file's size and time),
    the mailbox (every folder's time, and any file that may grow in place, an mbox), and
    the warehouse (its file and write-ahead log: a reviewer's import, a daily run)."""

    def __init__(self, ws: Workspace):
        self.roots = (ws.landing("suppressions"), requests_dir(ws), ws.mailbox)
        self.files = (ws.warehouse, ws.warehouse.with_name(ws.warehouse.name + ".wal"))
        self.seen: tuple = ()

    def changed(self) -> bool:
        now = self.look()
        changed, self.seen = now != self.seen, now
        return changed

    def look(self) -> tuple:
        found: list[tuple] = []
        for path in self.files:
            found.append((path, file_signature(path)))
        for root in self.roots:
            _walk(root, found)
        return tuple(found)


def _walk(folder: Path | str, found: list[tuple]) -> None:
    try:
        entries = os.scandir(folder)
    except OSError:
        found.append((folder, None))
        return
    found.append((folder, file_signature(Path(folder))))
    with entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name in MAILDIR_PARTS:
                    # a delivery renames into it
                    found.append((entry.path, file_signature(Path(entry.path))))
                else:
                    _walk(entry.path, found)
            elif os.path.splitext(entry.name)[1].lower() not in WRITTEN_ONCE:
                found.append((entry.path, file_signature(Path(entry.path))))
