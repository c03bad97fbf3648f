"""Pseudonymise one person in every table of the warehouse, by what the columns are.

Not a list of tables: every base table is read from the catalog, so a table added
later is covered the day it exists. The rows that are the person's data itself (their
lead records and the intelligence about them) are erased, and counted so the ingestion
ledger still reconciles. Every other row of theirs (drafts, decisions, sends, replies,
suppressions, events: the audit trail) keeps its ids, dates and outcomes, and loses the
columns that identify or describe them. Last, any text anywhere that still quotes their
address, number or full name is rewritten: each table's text is read once to find which
of the strings it holds (`Quotes`), and only those make the pattern the table is
rewritten with (one pattern of a retention day's hundreds of people took DuckDB's
regular expressions ~16 s on a 300-lead workspace)."""

import re
from dataclasses import dataclass, field

import duckdb

from assets.ingestion.landing_schemas import SCHEMAS
from assets.privacy.mail_text import readable_text
from assets.privacy.person import Person
from assets.privacy.quotes import Quotes

ERASED = "[erased]"
# columns that identify a person (their value is the person's, whole)
PERSONAL_COLUMNS = frozenset(
    {
        "first_name", "last_name", "full_name", "prospect_name", "email", "email_normalised",
        "email_key", "email_address_key", "phone", "phone_e164", "phone_key", "recipient",
        "sender", "bounced_recipient", "referred_contact", "role", "city",
    }
)  # fmt: skip
# free text written to or about them
TEXT_COLUMNS = frozenset(
    {
        "subject", "body", "approved_subject", "approved_body", "ai_draft",
        "human_edited_version", "edited_subject", "edited_body", "notes", "detail",
        "evidence", "row_json", "original_row", "extra", "observation",
        "evidence_observation", "previous_messages", "priority_reasons", "reply_text",
        "reply_subject", "reply_state", "model_text", "sentence_sources",
        "model_fallback_reason", "inquiry",
    }
)  # fmt: skip
# a landing file's other spellings of those columns (`form_answer`, `message` for inquiry)
TEXT_COLUMNS |= frozenset(
    alias
    for schema in SCHEMAS.values()
    for alias, column in schema.aliases.items()
    if column in TEXT_COLUMNS
)
EMAIL_COLUMNS = (
    "email",
    "email_normalised",
    "email_key",
    "email_address_key",
    "recipient",
    "sender",
    "bounced_recipient",
)
ID_COLUMNS = {
    "prospect_id": "prospect_ids",
    "lead_record_id": "record_ids",
    "communication_id": "communication_ids",
    "review_token": "review_tokens",
}
# the person's own records: erased rather than kept without content
ERASE_ROWS = {("raw", "leads"), ("raw", "intelligence")}
SKIP_SCHEMAS = ("privacy", "config", "reference", "information_schema", "pg_catalog")
TEXT_BATCH_ROWS = 50_000


@dataclass
class ScrubResult:
    rows_pseudonymised: int = 0
    rows_erased: int = 0
    # (raw table, landing file sha256, rows erased): the ledger reconciles with these
    erased_by_file: list[tuple[str, str, int]] = field(default_factory=list)


def text_pattern(strings: set[str]) -> str | None:
    """A case-insensitive RE2 pattern matching any of the strings."""
    if not strings:
        return None
    return "(?i)(" + "|".join(re.escape(s) for s in sorted(strings, key=len, reverse=True)) + ")"


def _tables(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], dict[str, str]]:
    rows = con.execute(
        """select c.table_schema, c.table_name, c.column_name, c.data_type
        from information_schema.columns as c
        inner join information_schema.tables as t using (table_catalog, table_schema, table_name)
        where t.table_type = 'BASE TABLE' and c.table_catalog = current_database()
          and c.table_schema not in (select unnest(?))
        order by c.table_schema, c.table_name, c.ordinal_position""",
        [list(SKIP_SCHEMAS)],
    ).fetchall()
    tables: dict[tuple[str, str], dict[str, str]] = {}
    for schema, table, column, dtype in rows:
        tables.setdefault((schema, table), {})[column] = dtype
    return tables


def _register(con: duckdb.DuckDBPyConnection, person: Person) -> None:
    values = {
        "erase_prospect_ids": person.prospect_ids,
        "erase_record_ids": person.record_ids,
        "erase_communication_ids": person.communication_ids,
        "erase_review_tokens": person.review_tokens,
        "erase_emails": person.emails,
    }
    for name, items in values.items():
        con.execute(f"create or replace temp table {name} (v varchar)")
        if items:
            con.execute(f"insert into {name} select unnest(?)", [sorted(items)])


def _row_predicate(columns: dict[str, str]) -> str | None:
    terms = [
        f'"{column}" in (select v from erase_{kind})'
        for column, kind in ID_COLUMNS.items()
        if column in columns
    ]
    terms += [
        f'lower("{c}") in (select v from erase_emails)'
        for c in EMAIL_COLUMNS
        if columns.get(c) == "VARCHAR"
    ]
    # not by phone number: a number may be shared, and rows are the person's by their ids
    # and address; a quoted number is still rewritten by the text pass
    return " or ".join(terms) or None


def _held_in_table(
    con: duckdb.DuckDBPyConnection, name: str, texts: list[str], quotes: Quotes
) -> set[str]:
    """Which of the strings the table's text columns hold, read in batches of rows."""
    held: set[str] = set()
    columns = ", ".join(f'"{c}"' for c in texts)
    rows = con.execute(f"select concat_ws(chr(31), {columns}) from {name}")
    while batch := rows.fetchmany(TEXT_BATCH_ROWS):
        held.update(quotes.held_in("\x1f".join(r[0] for r in batch if r[0])))
    return held


def _scrub_blobs(con: duckdb.DuckDBPyConnection, name: str, column: str, quotes: Quotes) -> int:
    """Raw bytes kept as they came (a mail message) that quote them, decoded as a reader
    would see them (base64, quoted-printable, RFC 2047): set to null."""
    if not quotes:
        return 0
    rows = con.execute(f'select rowid, "{column}" from {name} where "{column}" is not null')
    theirs = [rowid for rowid, raw in rows.fetchall() if quotes.found_in(readable_text(raw))]
    for rowid in theirs:
        con.execute(f'update {name} set "{column}" = null where rowid = ?', [rowid])
    return len(theirs)


def scrub_warehouse(con: duckdb.DuckDBPyConnection, person: Person) -> ScrubResult:
    """Erase or pseudonymise the person everywhere; return how many rows changed."""
    result = ScrubResult()
    _register(con, person)
    quotes = Quotes(person.strings())
    for (schema, table), columns in _tables(con).items():
        name = f'"{schema}"."{table}"'
        predicate = _row_predicate(columns)
        if predicate and (schema, table) in ERASE_ROWS:
            if "_file_sha256" in columns:
                result.erased_by_file += con.execute(
                    f"select '{table}', _file_sha256, count(*) from {name} where {predicate} "
                    f"group by 1, 2"
                ).fetchall()
            result.rows_erased += con.execute(f"delete from {name} where {predicate}").fetchall()[
                0
            ][0]
        elif predicate:
            sets = [
                f'"{c}" = {"null" if t == "BLOB" else repr(ERASED)}'
                for c, t in columns.items()
                if (c in PERSONAL_COLUMNS | TEXT_COLUMNS and t == "VARCHAR") or t == "BLOB"
            ]
            if sets:
                result.rows_pseudonymised += con.execute(
                    f"update {name} set {', '.join(sets)} where {predicate}"
                ).fetchall()[0][0]
        for column in (c for c, t in columns.items() if t == "BLOB"):
            result.rows_pseudonymised += _scrub_blobs(con, name, column, quotes)
        texts = [c for c, t in columns.items() if t == "VARCHAR"]
        held = _held_in_table(con, name, texts, quotes) if quotes and texts else set()
        pattern = text_pattern(held & quotes.originals)
        if pattern:
            assignments = ", ".join(
                f"\"{c}\" = regexp_replace(\"{c}\", $p${pattern}$p$, '{ERASED}', 'g')"
                for c in texts
            )
            where = " or ".join(f'regexp_matches("{c}", $p${pattern}$p$)' for c in texts)
            result.rows_pseudonymised += con.execute(
                f"update {name} set {assignments} where {where}"
            ).fetchall()[0][0]
    return result
