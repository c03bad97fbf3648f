"""The figures a run ends with, read from the warehouse."""

from __future__ import annotations

from pathlib import Path

import duckdb

# label -> SQL; a table that does not exist yet (a later layer) shows as "-".
FIGURES = {
    "files ingested": "select count(*) from raw.file_ledger",
    "rows in": "select coalesce(sum(rows_in), 0) from raw.file_ledger",
    "rows in raw": "select coalesce(sum(rows_raw), 0) from raw.file_ledger",
    "rows quarantined": "select count(*) from raw.quarantine",
    "lead records": "select count(*) from staging.stg_raw__leads",
    "prospects": "select count(*) from marts.prospects",
    "draft candidates": "select count(*) from marts.draft_candidates",
    "drafts": "select count(*) from drafting.drafts",
    "drafts failing lint": "select count(*) from drafting.drafts where not lint_passed",
    "review queue": "select count(*) from marts.review_queue",
    "inbound messages": "select count(*) from inbound.messages",
}


def warehouse_summary(path: Path) -> dict[str, str]:
    if not Path(path).exists():
        return {"warehouse": "not created"}
    out: dict[str, str] = {}
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as exc:  # e.g. a failed step still holds the file
        return {"warehouse": f"not readable now ({exc})"}
    with con:
        for label, sql in FIGURES.items():
            try:
                out[label] = str(con.execute(sql).fetchall()[0][0])
            except duckdb.CatalogException:
                out[label] = "-"
    return out
