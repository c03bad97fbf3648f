"""Suppression events raised inside the pipeline (a reviewer's Suppress, an opt-out or
complaint or hard bounce in inbound mail, a 5xx at send time) go through the same door as
any suppression file: a CSV in `landing/suppressions/`, ingested at once, so the ledger,
validation and quarantine apply and the next check already sees it."""

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from assets.ingestion.ingest import ensure_tables, ingest_file
from assets.ingestion.landing_schemas import SCHEMAS
from core.config import OutreachConfig
from core.workspace import Workspace

COLUMNS = SCHEMAS["suppressions"].columns  # the landing file format, one definition


@dataclass(frozen=True)
class SuppressionEvent:
    suppression_ref: str
    reason: str
    requested_by: str
    email: str | None = None
    domain: str | None = None
    phone: str | None = None
    scope: str = "global"
    scope_value: str | None = None


def land_suppressions(
    con: duckdb.DuckDBPyConnection,
    ws: Workspace,
    config: OutreachConfig,
    events: list[SuppressionEvent],
    file_stem: str,
    as_of: date,
) -> Path:
    """Write `landing/suppressions/<file_stem>.csv` and ingest it now; return its path."""
    folder = ws.landing("suppressions")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{file_stem}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for e in events:
            values = {
                "suppression_ref": e.suppression_ref[:200],
                "email": e.email,
                "domain": e.domain,
                "phone": e.phone,
                "reason": e.reason,
                "scope": e.scope,
                "scope_value": e.scope_value,
                "effective_at": f"{as_of.isoformat()}T00:00:00Z",
                "requested_by": e.requested_by,
            }
            writer.writerow([values[c] or "" for c in COLUMNS])
    relative = str(path.relative_to(ws.home)) if path.is_relative_to(ws.home) else str(path)
    ensure_tables(con)  # inbound mail runs first on a new warehouse
    ingest_file(con, "suppressions", path, relative, as_of, config, file_stem)
    return path
