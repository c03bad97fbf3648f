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


# the kind of reason: its words up to the first detail (a colon or a bracket)
REASON_KIND = "regexp_extract(blocking_reason, '^[^:(]*')"

WHY_NOT_DRAFTED = f"""
    select trim({REASON_KIND}) as reason, count(*) as pairs
    from marts.outreach_eligibility
    where blocking_reason is not null
    group by all
    order by pairs desc, reason
"""

QUARANTINED = """
    select regexp_extract(source_file, '[^/]*$') as file, reason, count(*) as rows
    from raw.quarantine
    group by all
    order by rows desc, file, reason
    limit 20
"""


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    try:
        return con.execute(sql).fetchall()
    except duckdb.CatalogException:  # a warehouse from before that table
        return []


def why_not(path: Path) -> tuple[list[tuple], list[tuple]]:
    """(reason, prospect x campaign pairs) for every pair without a draft ready for review,
    and (file, reason, rows) for the quarantine: what a user needs when a run drafts less
    than they expected."""
    if not Path(path).exists():
        return [], []
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.IOException:
        return [], []
    with con:
        return _rows(con, WHY_NOT_DRAFTED), _rows(con, QUARANTINED)


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
