"""Send-time intake: the stop signals that arrived since the daily run, taken in through
the same doors the daily run uses, before the first message and again during the send.

- suppression landing files (`landing/suppressions/`): ingested into `raw.suppressions`,
  which the gate reads directly (no dbt build needed);
- erasure and objection request files (`landing/requests/`): read, and their addresses
  held from now on; the next daily run honours them in full (erasing takes the whole
  warehouse, not a moment between two messages);
- the mailbox: every new message stored and classified; an opt-out, complaint or hard
  bounce lands a suppression at once, any reply that stops the sequence holds the person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import duckdb

from assets.inbound.store import ingest_mailbox
from assets.ingestion.ingest import WAITING, ingest_kind
from assets.privacy.requests import read_request_files
from core.config import OutreachConfig
from core.keys import email_hash
from core.workspace import Workspace

# how often a send takes in again: whichever comes first
INTAKE_EVERY_SECONDS = 60
INTAKE_EVERY_MESSAGES = 50


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
