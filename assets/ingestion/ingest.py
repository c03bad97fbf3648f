"""Landing files -> raw tables, or quarantine with a reason: nothing is lost.

For every file: rows in = rows written to `raw.<kind>` + rows written to
`raw.quarantine`. A file whose sha256 is already in `raw.file_ledger` is skipped,
so re-running a day adds nothing. Each file is written in one transaction with
its ledger row, so a crash never leaves half a file behind.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import polars as pl

from assets.ingestion.landing import (
    LandingRead,
    Rejected,
    UnreadableFile,
    read_landing_file,
    with_aliases,
)
from assets.ingestion.landing_schemas import SCHEMAS, LandingSchema
from assets.ingestion.suppression_input import interpret as interpret_suppressions
from assets.ingestion.suppression_input import phones_read_in as read_suppression_phones
from assets.privacy.forgotten_rows import split_forgotten
from core.config import OutreachConfig
from core.normalise import ascii_domains, normalise_emails, normalise_phones, website_domain
from core.schema import SUPPRESSION_KEYS, ensure_operational_tables

EARLIEST_PLAUSIBLE = date(1990, 1, 1)
# a file still being written: not read this run, no ledger row; the next run reads it
WAITING = "waiting"
RECORD_ID = {
    "leads": "lead_record_id",
    "intelligence": "intelligence_record_id",
    "signals": "signal_record_id",
    "suppressions": "suppression_record_id",
    "events": "event_record_id",
}
_TIMESTAMP_FORMATS_TZ = ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S%z", "%Y-%m-%dT%H:%M:%S%.f%z")
_TIMESTAMP_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d")


@dataclass(frozen=True)
class FileResult:
    source_file: str
    file_sha256: str
    status: str
    rows_in: int
    rows_raw: int
    rows_quarantined: int
    detail: str | None = None


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The ledger, quarantine, privacy and review tables ingestion writes (core/schema.py)."""
    ensure_operational_tables(con)


def _parse_timestamp(col: pl.Expr) -> pl.Expr:
    text = col.str.strip_chars().str.replace(r"Z$", "+0000")
    aware = [
        text.str.strptime(pl.Datetime("us", "UTC"), fmt, strict=False)
        for fmt in _TIMESTAMP_FORMATS_TZ
    ]
    naive = [
        text.str.strptime(pl.Datetime("us"), fmt, strict=False).dt.replace_time_zone("UTC")
        for fmt in _TIMESTAMP_FORMATS
    ]
    return pl.coalesce(*aware, *naive)


def _parse_date(col: pl.Expr) -> pl.Expr:
    """A date, or the date of an ISO timestamp at midnight (Excel and Parquet write dates
    as timestamps): `2026-10-01`, `2026-10-01 00:00:00`, `2026-10-01T00:00:00.000`."""
    text = col.str.strip_chars().str.replace(r"^(\d{4}-\d{2}-\d{2})[T ]00:00(:00(\.0+)?)?Z?$", "$1")
    return text.str.strptime(pl.Date, "%Y-%m-%d", strict=False)


def _reasons(schema: LandingSchema, as_of: date, sources: list[str]) -> pl.Expr:
    """One expression: every rule the row breaks, joined by '; ', or null for a good row."""
    checks: list[pl.Expr] = []
    for name in schema.required_values:
        checks.append(pl.when(pl.col(name).is_null()).then(pl.lit(f"no value for '{name}'")))
    if schema.registered_source:
        checks.append(
            pl.when(pl.col("source_id").is_not_null() & ~pl.col("source_id").is_in(sources)).then(
                pl.format(
                    "source_id '{}' is not in the lead-source registry (config/sources.yml)",
                    pl.col("source_id"),
                )
            )
        )
    tomorrow = as_of + timedelta(days=1)
    for name in schema.dates:
        parsed = _parse_date(pl.col(name))
        present = pl.col(name).is_not_null()
        checks += [
            pl.when(present & parsed.is_null()).then(
                pl.format("{} '{}' is not a date (YYYY-MM-DD)", pl.lit(name), pl.col(name))
            ),
            pl.when(present & (parsed < pl.lit(EARLIEST_PLAUSIBLE))).then(
                pl.format("{} {} is implausibly old", pl.lit(name), parsed)
            ),
        ]
        if name not in schema.future_dates:
            checks.append(
                pl.when(present & (parsed > pl.lit(as_of))).then(
                    pl.format("{} {} is after the run date {}", pl.lit(name), parsed, pl.lit(as_of))
                )
            )
    if {"observed_on", "expires_on"} <= set(schema.dates):
        checks.append(
            pl.when(_parse_date(pl.col("expires_on")) < _parse_date(pl.col("observed_on"))).then(
                pl.lit("expires_on is before observed_on")
            )
        )
    for name in schema.timestamps:
        parsed = _parse_timestamp(pl.col(name))
        present = pl.col(name).is_not_null()
        limit = datetime.combine(tomorrow, datetime.min.time(), tzinfo=UTC)
        checks += [
            pl.when(present & parsed.is_null()).then(
                pl.format("{} '{}' is not an ISO 8601 timestamp", pl.lit(name), pl.col(name))
            ),
            pl.when(present & (parsed >= pl.lit(limit))).then(
                pl.format("{} {} is after the run date {}", pl.lit(name), parsed, pl.lit(as_of))
            ),
        ]
    for name, allowed in schema.enums.items():
        checks.append(
            pl.when(pl.col(name).is_not_null() & _canonical(name, allowed).is_null()).then(
                pl.format(
                    "{} '{}' is not one of " + ", ".join(allowed).replace("{", "{{"),
                    pl.lit(name),
                    pl.col(name),
                )
            )
        )
    for name, (low, high) in schema.numbers.items():
        number = pl.col(name).str.strip_chars().cast(pl.Float64, strict=False)
        checks.append(
            pl.when(
                pl.col(name).is_not_null() & (number.is_null() | ~number.is_between(low, high))
            ).then(
                pl.format(
                    "{} '{}' is not a number from {} to {}",
                    pl.lit(name),
                    pl.col(name),
                    pl.lit(low),
                    pl.lit(high),
                )
            )
        )
    if schema.one_of:
        alternatives = [(c,) if isinstance(c, str) else c for c in schema.one_of]
        names = ", ".join(" + ".join(columns) for columns in alternatives)
        checks.append(
            pl.when(
                ~pl.any_horizontal(
                    pl.all_horizontal(pl.col(c).is_not_null() for c in columns)
                    for columns in alternatives
                )
            ).then(pl.lit(f"none of {names} has a value: nothing identifies the row"))
        )
    joined = pl.concat_str(checks, separator="; ", ignore_nulls=True)
    return pl.when(joined == "").then(None).otherwise(joined)


def _canonical(name: str, allowed: tuple[str, ...]) -> pl.Expr:
    """The allowed spelling of a value, matched without regard to case or spacing."""
    mapping = {value.lower(): value for value in allowed}
    return (
        pl.col(name)
        .str.strip_chars()
        .str.to_lowercase()
        .replace_strict(mapping, default=None, return_dtype=pl.String)
    )


def _with_normalised(
    schema: LandingSchema, frame: pl.DataFrame, config: OutreachConfig
) -> pl.DataFrame:
    for name, allowed in schema.enums.items():
        frame = frame.with_columns(_canonical(name, allowed).alias(name))
    for name in schema.emails:
        frame = normalise_emails(frame, name)
    for name in schema.phones:
        country = "country" if "country" in frame.columns else None
        frame = normalise_phones(frame, name, country)
    for name in schema.domains:
        domains = frame.select(website_domain(pl.col(name)).alias(name))[name]
        frame = frame.with_columns(ascii_domains(domains).alias(f"{name}_normalised"))
    if schema.kind == "suppressions":
        regions = tuple(sorted({c.upper() for o in config.offers for c in o.countries}))
        frame = read_suppression_phones(frame, regions)
        # an address that failed validation still suppresses its literal (cleaned) form
        frame = frame.with_columns(
            suppression_ref=pl.coalesce(
                pl.col("suppression_ref"), pl.format("row {}", pl.col("_row_number"))
            ),
            email_key=pl.coalesce(pl.col("email_normalised"), pl.col("email")).str.to_lowercase(),
            domain_key=pl.coalesce(
                pl.col("domain_normalised"), website_domain(pl.col("domain"))
            ).str.to_lowercase(),
            phone_key=pl.coalesce(pl.col("phone_e164"), pl.col("phone")),
        )
    if schema.kind == "leads":
        rules = config.channels
        site = frame.select(website_domain(pl.col("company_website")).alias("d"))["d"]
        frame = (
            frame.with_columns(
                website_domain=ascii_domains(site),
                is_free_mail=pl.col("email_domain").is_in(rules.free_mail_domains).fill_null(False),
                is_role_address=pl.col("email_normalised")
                .str.extract(r"^([^@+]*)", 1)
                .str.to_lowercase()
                .is_in(rules.role_address_local_parts)
                .fill_null(False),
            )
            .with_columns(
                company_domain=pl.coalesce(
                    pl.col("website_domain"),
                    pl.when(~pl.col("is_free_mail")).then(pl.col("email_domain")),
                )
            )
            .drop("website_domain")
        )
    return frame


def _output_columns(schema: LandingSchema) -> list[str]:
    """The raw table's columns after the record id, in order; the same for every file."""
    derived: list[str] = []
    for name in schema.emails:
        derived += [f"{name}_normalised", f"{name}_domain", f"{name}_issue"]
    for name in schema.phones:
        derived += [f"{name}_e164", f"{name}_issue"]
    for name in schema.domains:
        derived.append(f"{name}_normalised")
    if schema.kind == "leads":
        derived += ["is_free_mail", "is_role_address", "company_domain"]
    if schema.kind == "suppressions":
        derived += [*SUPPRESSION_KEYS, "interpretation", "needs_review"]
    return [*schema.columns, "extra", *derived]


def validate(
    schema: LandingSchema, read: LandingRead, as_of: date, config: OutreachConfig
) -> tuple[pl.DataFrame, list[Rejected]]:
    """Split a read file into rows for raw (normalised) and rejects with reasons."""
    rejected = list(read.rejected)
    frame, input_columns = with_aliases(read.frame, read.columns, schema.aliases)
    # only the columns that must have values are needed: a missing column is empty, and a
    # row that needed its value is refused by the rules below with the column's name
    missing = [c for c in schema.columns if c not in input_columns]
    frame = frame.with_columns(pl.lit(None, pl.String).alias(c) for c in missing)
    extras = [c for c in input_columns if c not in schema.columns]
    original = pl.struct(input_columns).struct.json_encode() if input_columns else pl.lit(None)
    frame = frame.with_columns(
        _original_row=original,
        extra=pl.struct(extras).struct.json_encode() if extras else pl.lit(None, pl.String),
    )
    # one spelling per text (Unicode NFC): "Zoë" typed and "Zoë" pasted from a Mac are
    # one name; the row as it came stays in `_original_row` (quarantine) and `extra`
    frame = frame.with_columns(
        pl.col(c).str.normalize("NFC") for c in input_columns if c in schema.columns
    )
    if schema.kind == "suppressions":
        frame = interpret_suppressions(
            frame, frozenset(c.client_id for c in config.campaigns if c.client_id)
        )
    frame = frame.with_columns(_reason=_reasons(schema, as_of, config.source_ids()))
    bad = frame.filter(pl.col("_reason").is_not_null())
    rejected += [
        Rejected(n, r, o)
        for n, r, o in bad.select("_row_number", "_reason", "_original_row").iter_rows()
    ]
    good = _with_normalised(schema, frame.filter(pl.col("_reason").is_null()), config)
    parts = ["_part"] if "_part" in good.columns else []
    return good.select(*_output_columns(schema), "_row_number", *parts), sorted(
        rejected, key=lambda r: r.row_number
    )


def ingest_file(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    path: Path,
    relative_name: str,
    as_of: date,
    config: OutreachConfig,
    batch_id: str,
) -> FileResult | None:
    """Ingest one file in one transaction; None when the same content was ingested before."""
    schema = SCHEMAS[kind]
    data = path.read_bytes()
    digest = sha256_of(data)
    seen = con.execute(
        "select 1 from raw.file_ledger where kind = ? and file_sha256 = ?", [kind, digest]
    ).fetchall()
    if seen:
        return None
    now = datetime.now(UTC).replace(tzinfo=None)  # lineage: when the row arrived, not business time
    encoding, detail = None, None
    try:
        read = read_landing_file(path, data)
        encoding = read.encoding
        good, rejected = validate(schema, read, as_of, config)
        good, forgotten = split_forgotten(con, schema, good)
        rejected = sorted(rejected + forgotten, key=lambda r: r.row_number)
    except UnreadableFile as exc:
        good, rejected, detail = None, [Rejected(0, str(exc), None)], str(exc)
    except Exception as exc:  # one bad file never stops the others: kept, named, quarantined
        detail = f"could not be read ({type(exc).__name__}: {str(exc)[:300]}); fix or re-export it"
        good, rejected = None, [Rejected(0, detail, None)]
    earlier = con.execute(
        "select file_sha256, as_of from raw.file_ledger where kind = ? and source_file = ? "
        "and status <> 'redacted' order by ingested_at desc limit 1",
        [kind, relative_name],
    ).fetchall()
    if earlier and detail is None:
        # the same name with new content: a new version; staging keeps the latest row of
        # each source record (macro latest_version), so nothing is counted twice
        detail = f"new version of a file first ingested on {earlier[0][1]} ({earlier[0][0][:16]})"
    rows_raw = 0 if good is None else good.height
    status = (
        "unreadable" if good is None else ("empty" if rows_raw + len(rejected) == 0 else "ingested")
    )
    lineage = {
        "_source_file": relative_name,
        "_file_sha256": digest,
        "_batch_id": batch_id,
        "_as_of": as_of,
        "_ingested_at": now,
    }
    con.execute("begin transaction")
    try:
        if good is not None:
            _append_raw(con, kind, good, lineage)
        if rejected:
            quarantine = pl.DataFrame(
                {
                    "kind": kind,
                    "source_file": relative_name,
                    "file_sha256": digest,
                    "row_number": [r.row_number for r in rejected],
                    "reason": [r.reason for r in rejected],
                    "original_row": [r.original for r in rejected],
                    "batch_id": batch_id,
                    "as_of": as_of,
                    "ingested_at": now,
                },
                schema_overrides={"original_row": pl.String, "row_number": pl.Int64},
            )
            con.register("quarantine_rows", quarantine)
            con.execute("insert into raw.quarantine by name select * from quarantine_rows")
            con.unregister("quarantine_rows")
        if kind == "suppressions":
            _open_review_tasks(con, relative_name, digest, good, rejected, now)
        con.execute(
            "insert into raw.file_ledger values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                digest,
                kind,
                relative_name,
                len(data),
                encoding,
                status,
                detail,
                rows_raw + len(rejected),
                rows_raw,
                len(rejected),
                batch_id,
                as_of,
                now,
            ],
        )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return FileResult(
        relative_name, digest, status, rows_raw + len(rejected), rows_raw, len(rejected), detail
    )


def _open_review_tasks(
    con: duckdb.DuckDBPyConnection,
    relative_name: str,
    digest: str,
    good: pl.DataFrame | None,
    rejected: list[Rejected],
    now: datetime,
) -> None:
    """A stop signal in doubt goes to a human: a row read with a doubt (it suppresses
    meanwhile, globally) or a row that names nobody (it cannot suppress: a person finds who)."""
    doubts: list[tuple[int, str]] = []
    if good is not None:
        doubts += good.filter(pl.col("needs_review")).select("_row_number", "interpretation").rows()
    doubts += [(r.row_number, f"quarantined, suppresses nobody: {r.reason}") for r in rejected]
    for row_number, detail in doubts:
        con.execute(
            "insert or ignore into review.tasks values (?, 'review_suppression', '', null, null, "
            "?, ?, null)",
            [
                f"tk_sup_{digest[:16]}_{row_number}",
                f"{relative_name} row {row_number}: {detail}",
                now,
            ],
        )


def _append_raw(
    con: duckdb.DuckDBPyConnection, kind: str, good: pl.DataFrame, lineage: dict[str, object]
) -> None:
    rows = good.with_columns(pl.lit(v).alias(k) for k, v in lineage.items())
    record_id = RECORD_ID[kind]
    # a row split in parts (several addresses in one cell) has an id per part
    part = " || coalesce(':' || cast(_part as varchar), '')" if "_part" in rows.columns else ""
    select = (
        f"select md5(_file_sha256 || ':' || cast(_row_number as varchar){part}) as {record_id}, "
        f"* {'exclude (_part)' if part else ''} from incoming_rows"
    )
    con.register("incoming_rows", rows)
    try:
        con.execute(f"create table if not exists raw.{kind} as {select} limit 0")
        con.execute(f"insert into raw.{kind} by name {select}")
    finally:
        con.unregister("incoming_rows")


# names tools give a file while they are still writing it (browsers, rsync, Office, scp)
PARTIAL_NAME = re.compile(
    r"\.(part|partial|tmp|temp|crdownload|download|filepart)$|^~\$|^\.~lock", re.IGNORECASE
)
SETTLE_SECONDS = float(os.environ.get("OUTREACH_SETTLE_SECONDS", "2"))


def landing_files(folder: Path) -> list[Path]:
    """Every file in a landing folder (not hidden, not named as a partial upload), in a
    stable order."""
    if not folder.exists():
        return []
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not p.name.startswith(".") and not PARTIAL_NAME.search(p.name)
    )


def file_signature(path: Path) -> tuple[int, int] | None:
    """(size, modification time) of a file or folder, None when it is not there."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_size, stat.st_mtime_ns


def settled(
    paths: list[Path], interval: float = SETTLE_SECONDS, sleep=time.sleep, clock=time.time
) -> tuple[list[Path], list[Path]]:
    """(complete, still being written). A file modified within the last `interval`
    seconds is looked at again once it is that old: if its size or modification time
    changed meanwhile it is still arriving and waits for the next run. One wait for all
    files, so a run pays at most `interval`, and only when a file is that new."""
    first = {p: file_signature(p) for p in paths}
    young = [p for p, sig in first.items() if sig and clock() - sig[1] / 1e9 < interval]
    if young:
        newest = max(first[p][1] for p in young) / 1e9
        sleep(max(0.0, min(interval, newest + interval - clock())))
    waiting = [p for p in paths if first[p] is None or file_signature(p) != first[p]]
    return [p for p in paths if p not in waiting], waiting


def ingest_kind(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    folder: Path,
    home: Path,
    as_of: date,
    config: OutreachConfig,
    batch_id: str,
) -> list[FileResult]:
    ensure_tables(con)
    results = []
    ready, waiting = settled(landing_files(folder))
    for path in ready:
        relative = str(path.relative_to(home)) if path.is_relative_to(home) else str(path)
        result = ingest_file(con, kind, path, relative, as_of, config, batch_id)
        if result is not None:
            results.append(result)
    for path in waiting:
        relative = str(path.relative_to(home)) if path.is_relative_to(home) else str(path)
        results.append(FileResult(relative, "", WAITING, 0, 0, 0, "still being written"))
    _ensure_raw_table(con, kind, as_of, batch_id)
    return results


def _ensure_raw_table(
    con: duckdb.DuckDBPyConnection, kind: str, as_of: date, batch_id: str
) -> None:
    """Create raw.<kind> with its full schema even before any file has arrived."""
    booleans = {"is_free_mail", "is_role_address", "needs_review"}
    columns = _output_columns(SCHEMAS[kind])
    empty = pl.DataFrame(
        schema={c: pl.Boolean if c in booleans else pl.String for c in columns}
        | {"_row_number": pl.Int64}
    )
    lineage = {
        "_source_file": "",
        "_file_sha256": "",
        "_batch_id": batch_id,
        "_as_of": as_of,
        "_ingested_at": datetime(1970, 1, 1),
    }
    _append_raw(con, kind, empty, lineage)


def summary(results: list[FileResult]) -> dict[str, int]:
    waiting = [r for r in results if r.status == WAITING]
    return {
        "files": len(results) - len(waiting),
        "files_waiting": len(waiting),
        "rows_in": sum(r.rows_in for r in results),
        "rows_raw": sum(r.rows_raw for r in results),
        "rows_quarantined": sum(r.rows_quarantined for r in results),
    }
