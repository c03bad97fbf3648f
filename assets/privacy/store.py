"""What the privacy step keeps: each request and when it was honoured, the hashed keys
of people who must never be contacted again, and the rows erased from raw tables (so
the ledger still reconciles: rows in = raw + quarantine + erased).

A key is the sha256 of a normalised address (lower-cased email, E.164 phone): enough
to recognise the person if their data lands again, not enough to contact them."""

import hashlib

import duckdb

REQUEST_TYPES = ("erasure", "objection")
DDL = (
    "create schema if not exists privacy",
    """create table if not exists privacy.requests (
        request_id varchar primary key, request_type varchar not null, key_hash varchar,
        received_at timestamp not null, honoured_at timestamp, source varchar not null,
        prospects integer, rows_pseudonymised integer, rows_erased integer,
        files_scrubbed integer, detail varchar)""",
    """create table if not exists privacy.erased_keys (
        key_hash varchar primary key, key_type varchar not null, request_id varchar not null,
        request_type varchar not null, erased_at timestamp not null)""",
    """create table if not exists privacy.erased_rows (
        request_id varchar not null, kind varchar not null, file_sha256 varchar not null,
        rows integer not null)""",
)


def ensure_privacy_tables(con: duckdb.DuckDBPyConnection) -> None:
    for statement in DDL:
        con.execute(statement)


def email_key(address: str) -> str:
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()


def phone_key(e164: str) -> str:
    return hashlib.sha256(e164.strip().encode()).hexdigest()


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    """Whether a table the last build or ingestion writes is there yet."""
    return bool(
        con.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchall()[0][0]
    )


def erased_key_of(con: duckdb.DuckDBPyConnection, keys: list[str]) -> dict[str, tuple[str, str]]:
    """{key_hash: (request_id, request_type)} for the keys that belong to a forgotten person
    (the privacy tables exist: ensure_operational_tables creates them)."""
    keys = [k for k in keys if k]
    if not keys:
        return {}
    rows = con.execute(
        "select key_hash, request_id, request_type from privacy.erased_keys "
        "where key_hash in (select unnest(?))",
        [keys],
    ).fetchall()
    return {k: (r, t) for k, r, t in rows}
