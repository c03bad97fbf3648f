"""At the door: a landing row about a person who asked to be forgotten is not stored.

It goes to quarantine with the request it meets, and without its personal data: what is
kept is the row number, the hashed key it matched and the non-personal columns, so the
ledger still reconciles and nobody can read who it was."""

import json

import duckdb
import polars as pl

from assets.ingestion.landing import Rejected
from assets.ingestion.landing_schemas import LandingSchema
from assets.privacy.warehouse_scrub import PERSONAL_COLUMNS, TEXT_COLUMNS


def split_forgotten(
    con: duckdb.DuckDBPyConnection, schema: LandingSchema, good: pl.DataFrame
) -> tuple[pl.DataFrame, list[Rejected]]:
    """(rows to store, rows of forgotten people as quarantine rows)."""
    keys = [f"{name}_normalised" for name in schema.emails] + [
        f"{name}_e164" for name in schema.phones
    ]
    if not keys or not good.height:
        return good, []
    # the privacy tables exist: ingestion's ensure_tables creates them with the ledger
    if not con.execute("select count(*) from privacy.erased_keys").fetchall()[0][0]:
        return good, []
    hashed = " union all ".join(
        f"select _row_number, sha256({'lower(' + k + ')' if k.endswith('_normalised') else k}) as "
        f"key_hash from forgotten_candidates where {k} is not null"
        for k in keys
    )
    con.register("forgotten_candidates", good.select("_row_number", *keys))
    try:
        hits = con.execute(
            f"""select h._row_number, min(h.key_hash), min(e.request_id), min(e.request_type)
            from ({hashed}) as h inner join privacy.erased_keys as e using (key_hash)
            group by h._row_number"""
        ).fetchall()
    finally:
        con.unregister("forgotten_candidates")
    if not hits:
        return good, []
    by_row = {row: (key, request, kind) for row, key, request, kind in hits}
    kept_columns = [
        c
        for c in schema.columns
        if c not in PERSONAL_COLUMNS | TEXT_COLUMNS and c not in schema.emails + schema.phones
    ]
    rejected = []
    for row in good.filter(pl.col("_row_number").is_in(list(by_row))).iter_rows(named=True):
        key, request, kind = by_row[row["_row_number"]]
        original = {c: row.get(c) for c in kept_columns} | {"matched_key_sha256": key}
        rejected.append(
            Rejected(
                row["_row_number"],
                f"a person who asked to be forgotten ({kind} request {request}): "
                "not stored, suppressed permanently",
                json.dumps(original, default=str),
            )
        )
    return good.filter(~pl.col("_row_number").is_in(list(by_row))), rejected
