"""Reading landing files into rows of text, tolerating every way a file can be broken.

A file is read whole into memory as text; the CSV module (C) splits it; nothing
here judges a row's content, only its shape. Rows whose shape is wrong come back
as `Rejected` with a reason and the original text, so the caller can quarantine
them: nothing is lost.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path

import polars as pl

SUPPORTED_SUFFIXES = (".csv", ".jsonl", ".ndjson", ".parquet", ".xlsx")
MAX_FIELD_CHARS = 65_536
csv.field_size_limit(1 << 30)


class UnreadableFile(ValueError):
    """The whole file cannot be read as rows (wrong type, corrupt container)."""


@dataclass
class Rejected:
    row_number: int
    reason: str
    original: str


@dataclass
class LandingRead:
    """What one file gave: its header, its well-shaped rows (as a frame of text), its rejects."""

    columns: list[str]
    frame: pl.DataFrame
    rejected: list[Rejected] = field(default_factory=list)
    encoding: str = "utf-8"

    @property
    def rows_in(self) -> int:
        return self.frame.height + len(self.rejected)


def decode(data: bytes) -> tuple[str, str, bool]:
    """Text, the encoding used, and whether some bytes were not valid in it.

    A BOM decides (UTF-8, UTF-16 LE/BE). Otherwise the text must be UTF-8: bytes
    that are not become lone surrogates so each affected row can be rejected
    without guessing at another encoding.
    """
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            body = data[len(bom) :]
            try:
                return body.decode(name.replace("-sig", "")), name, False
            except UnicodeDecodeError as exc:
                if name.startswith("utf-16"):
                    # UTF-16 cannot carry undecodable bytes through to a row: the file is refused
                    raise UnreadableFile(
                        f"declares {name} by its byte-order mark but is not valid {name} "
                        f"({exc.reason} at byte {exc.start + len(bom)})"
                    ) from None
                return body.decode(name.replace("-sig", ""), "surrogateescape"), name, True
    try:
        return data.decode("utf-8"), "utf-8", False
    except UnicodeDecodeError:
        return data.decode("utf-8", "surrogateescape"), "utf-8", True


def _shown(text: str) -> str:
    """Original text made storable: undecodable bytes become \\xNN escapes."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _has_bad_bytes(values: list[str]) -> bool:
    return any(any("\udc80" <= ch <= "\udcff" for ch in value) for value in values)


def _row_problem(values: list[str], width: int, has_bad_bytes: bool) -> str | None:
    if len(values) != width:
        return f"row has {len(values)} fields, the header has {width}"
    if has_bad_bytes and _has_bad_bytes(values):
        return "row holds bytes that are not valid UTF-8; re-save the file as UTF-8"
    if any("\x00" in value for value in values):
        return "row holds a NUL byte"
    longest = max((len(value) for value in values), default=0)
    if longest > MAX_FIELD_CHARS:
        return f"a field is {longest} characters long, over the {MAX_FIELD_CHARS} limit"
    return None


def _header_problem(header: list[str]) -> str | None:
    seen: set[str] = set()
    dupes = sorted({name for name in header if name in seen or seen.add(name)})
    if dupes:
        return f"header repeats column name(s) {dupes}: which value is meant is ambiguous"
    if any(name == "" for name in header):
        return "header has an empty column name"
    return None


def _frame(columns: list[str], rows: list[list[str]]) -> pl.DataFrame:
    if not rows:
        return pl.DataFrame({name: pl.Series(name, [], pl.String) for name in columns})
    data = {name: [row[i] for row in rows] for i, name in enumerate(columns)}
    frame = pl.DataFrame(data, schema={name: pl.String for name in columns})
    # An empty cell and a missing value mean the same thing in a landing file.
    return frame.with_columns(
        pl.when(pl.col(name).str.strip_chars() == "").then(None).otherwise(pl.col(name)).alias(name)
        for name in columns
    )


def _normalise_header(raw_header: list[str]) -> list[str]:
    return [name.strip().lower().replace(" ", "_") for name in raw_header]


def _delimiter(text: str) -> tuple[str, str]:
    """Excel's `sep=;` first line, else the separator the header line uses (Excel in many
    locales writes `;`, some tools a tab); a comma by default. Returns (delimiter, text)."""
    first, _, rest = text.partition("\n")
    declared = re.fullmatch(r"\s*sep=(.)\s*", first)
    if declared:
        return declared[1], rest
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return (best if counts[best] > counts[","] else ","), text


def read_csv(data: bytes) -> LandingRead:
    text, encoding, has_bad_bytes = decode(data)
    delimiter, text = _delimiter(text)
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    header: list[str] | None = None
    good: list[tuple[int, list[str]]] = []
    rejected: list[Rejected] = []
    row_number = 0
    for values in records:
        if header is None:
            if not values or all(v.strip() == "" for v in values):
                continue
            header = _normalise_header(values)
            if _has_bad_bytes(header):
                header = [_shown(name) for name in header]
            continue
        if not values or (len(values) == 1 and values[0].strip() == ""):
            continue  # a blank line is not a row
        row_number += 1
        problem = _row_problem(values, len(header), has_bad_bytes)
        if problem:
            rejected.append(Rejected(row_number, problem, _shown(_csv_line(values))))
        else:
            good.append((row_number, values))
    if header is None:
        return _numbered([], [], [], encoding)
    problem = _header_problem(header)
    if problem:
        rejected += [Rejected(n, problem, _csv_line(v)) for n, v in good]
        rejected.sort(key=lambda r: r.row_number)
        columns = list(dict.fromkeys(header))
        return _numbered(columns, [], rejected, encoding)
    return _numbered(header, good, rejected, encoding)


def _numbered(
    header: list[str], good: list[tuple[int, list[str]]], rejected: list[Rejected], encoding: str
) -> LandingRead:
    """The frame of well-shaped rows, each with its 1-based row number in the file."""
    frame = _frame(header, [values for _, values in good])
    numbers = pl.Series("_row_number", [n for n, _ in good], pl.Int64)
    return LandingRead(header, frame.with_columns(numbers), rejected, encoding)


def _csv_line(values: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(values)
    return out.getvalue()


def read_jsonl(data: bytes) -> LandingRead:
    text, encoding, has_bad_bytes = decode(data)
    objects: list[tuple[int, dict[str, str]]] = []
    rejected: list[Rejected] = []
    row_number = 0
    # JSON lines end at "\n" only: U+2028, U+0085 and friends are text inside a value
    for line in text.split("\n"):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        row_number += 1
        if has_bad_bytes and _has_bad_bytes([line]):
            rejected.append(
                Rejected(row_number, "line holds bytes that are not valid UTF-8", _shown(line))
            )
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            rejected.append(
                Rejected(row_number, f"not valid JSON: {exc.msg} at column {exc.colno}", line)
            )
            continue
        if not isinstance(value, dict):
            rejected.append(
                Rejected(row_number, f"a JSON {type(value).__name__}, not an object", line)
            )
            continue
        names = _normalise_header([str(k) for k in value])
        if len(set(names)) < len(names):
            repeated = sorted({n for n in names if names.count(n) > 1})
            rejected.append(
                Rejected(
                    row_number,
                    f"keys {repeated} differ only in case or spacing: which value is meant is "
                    f"ambiguous",
                    line,
                )
            )
            continue
        row = {
            name: v if isinstance(v, str) or v is None else json.dumps(v)
            for name, v in zip(names, value.values(), strict=True)
        }
        problem = _row_problem(
            [v for v in row.values() if v is not None],
            sum(v is not None for v in row.values()),
            False,
        )
        if problem:
            rejected.append(Rejected(row_number, problem, line))
            continue
        objects.append((row_number, row))
    columns: list[str] = []
    for _, row in objects:
        columns.extend(name for name in row if name not in columns)
    good = [(n, [row.get(name) for name in columns]) for n, row in objects]
    return _numbered(columns, good, rejected, encoding)


def _parquet_text(series: pl.Series) -> pl.Series:
    """One Parquet column as text: dates and timestamps in ISO 8601 (a timestamp at
    midnight as its date), lists and structs as JSON, bytes as UTF-8 (bytes that are not
    UTF-8 as \\xNN escapes: their row is refused, see `_not_utf8`)."""
    dtype = series.dtype
    if dtype == pl.String:
        return series
    if dtype == pl.Date:
        return series.dt.strftime("%Y-%m-%d")
    if isinstance(dtype, pl.Datetime):
        fmt = "%Y-%m-%dT%H:%M:%S%.f" + ("%z" if dtype.time_zone else "")
        at_midnight = bool((series.drop_nulls().dt.time() == time(0)).all())
        return series.dt.strftime("%Y-%m-%d" if at_midnight else fmt)
    if dtype == pl.Binary:
        values = [None if v is None else v.decode("utf-8", "backslashreplace") for v in series]
        return pl.Series(series.name, values, pl.String)
    if dtype.is_nested():
        values = [None if v is None else json.dumps(v, default=str) for v in series.to_list()]
        return pl.Series(series.name, values, pl.String)
    return series.cast(pl.String)


def _not_utf8(frame: pl.DataFrame) -> dict[int, str]:
    """Row number -> reason, for rows with a binary value that is not UTF-8 text."""
    bad: dict[int, str] = {}
    for name in frame.columns:
        if frame.schema[name] != pl.Binary:
            continue
        for number, value in enumerate(frame[name], start=1):
            try:
                value is None or value.decode("utf-8")
            except UnicodeDecodeError:
                bad.setdefault(number, f"binary value in '{name}' is not UTF-8 text")
    return bad


def read_parquet(data: bytes) -> LandingRead:
    try:
        frame = pl.read_parquet(io.BytesIO(data))
    except Exception as exc:  # any corrupt container: the file is kept, the reason recorded
        raise UnreadableFile(f"not a readable Parquet file: {exc}") from None
    columns = _normalise_header(frame.columns)
    problem = _header_problem(columns)
    as_text = pl.DataFrame([_parquet_text(frame[name]) for name in frame.columns])
    if problem:
        rejected = [
            Rejected(i + 1, problem, _shown(json.dumps(row)))
            for i, row in enumerate(as_text.iter_rows())
        ]
        return _numbered(list(dict.fromkeys(columns)), [], rejected, "parquet")
    not_text = _not_utf8(frame)
    good: list[tuple[int, list[str]]] = []
    rejected = []
    for number, values in enumerate(as_text.iter_rows(), start=1):
        present = [v for v in values if v is not None]
        problem = not_text.get(number) or _row_problem(present, len(present), False)
        if problem:
            original = json.dumps(dict(zip(columns, values, strict=True)))
            rejected.append(Rejected(number, problem, _shown(original)))
        else:
            good.append((number, list(values)))
    return _numbered(columns, good, rejected, "parquet")


def read_xlsx(data: bytes) -> LandingRead:
    """The first sheet of a workbook, its first non-empty row the header; cells as text
    (dates as ISO 8601)."""
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        values = [
            [
                "" if v is None else (v.isoformat(sep=" ") if hasattr(v, "isoformat") else str(v))
                for v in row
            ]
            for row in sheet.iter_rows(values_only=True)
        ]
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise UnreadableFile(f"not a readable XLSX workbook: {exc}") from None
    out = io.StringIO()
    csv.writer(out).writerows(values)
    read = read_csv(out.getvalue().encode())
    read.encoding = "xlsx"
    return read


def with_aliases(
    frame: pl.DataFrame, columns: list[str], aliases: dict[str, str]
) -> tuple[pl.DataFrame, list[str]]:
    """A header spelt another way read as the column it means (`Email Address` is `email`),
    unless the file also has that column or two spellings claim it. Returns the renamed
    frame and its columns (without `_row_number`)."""
    renames = {c: aliases[c] for c in columns if c in aliases and aliases[c] not in columns}
    renames = {
        c: target for c, target in renames.items() if list(renames.values()).count(target) == 1
    }
    return frame.rename(renames), [renames.get(c, c) for c in columns if c != "_row_number"]


def read_landing_file(path: Path, data: bytes) -> LandingRead:
    """Read one landing file by its suffix; raise UnreadableFile when it cannot be read at all."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(data)
    if suffix in (".jsonl", ".ndjson"):
        return read_jsonl(data)
    if suffix == ".parquet":
        return read_parquet(data)
    if suffix == ".xlsx":
        return read_xlsx(data)
    raise UnreadableFile(f"unsupported file type {suffix!r}; expected one of {SUPPORTED_SUFFIXES}")
