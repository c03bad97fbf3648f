"""The tables the Python side writes and the dbt models read (drafts, decisions, send
claims and records, inbound mail, privacy requests and erased keys), created empty on a new warehouse so that the first
dbt build of a day can read them before anything was drafted, sent or received."""

import duckdb

from assets.inbound.store import ensure_inbound_tables
from assets.privacy.store import ensure_privacy_tables
from assets.review_store import ensure_review_tables
from dagster_project.sending.ledger import ensure_send_tables


def ensure_operational_tables(con: duckdb.DuckDBPyConnection) -> None:
    ensure_review_tables(con)
    ensure_send_tables(con)
    ensure_inbound_tables(con)
    ensure_privacy_tables(con)
