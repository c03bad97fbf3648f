"""The hashes that recognise a forgotten person: the sha256 of a normalised address
(lower-cased email, E.164 phone), enough to recognise the person if their data lands
again, not enough to contact them (privacy.erased_keys.key_hash).

One meaning per word: an `email_key` (a column of raw.suppressions and the models) is the
normalised address a suppression matches on; an `email_hash` is this one-way hash of it."""

import hashlib

import duckdb


def email_hash(address: str) -> str:
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()


def phone_hash(e164: str) -> str:
    return hashlib.sha256(e164.strip().encode()).hexdigest()


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
