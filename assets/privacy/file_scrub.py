"""Pseudonymise one person in the files of a workspace: exports, outbox, mailbox,
landing files and logs.

By what a file is: a file named after one of their ids (a brief, a handoff) is theirs
and removed, as is a message file (.eml) that mentions them; in a CSV or XLSX every row
that carries one of their ids or quotes them loses its personal and free-text columns;
in HTML the blocks the exports mark as one person's (`<!-- person ID -->`) are replaced;
and in every text file what still quotes their address, number or full name is
rewritten. Files in other formats (Parquet, mbox) are listed, not rewritten."""

import csv
import html
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from assets.privacy.person import Person
from assets.privacy.warehouse_scrub import ERASED, PERSONAL_COLUMNS, TEXT_COLUMNS

TEXT_SUFFIXES = {
    ".csv",
    ".html",
    ".htm",
    ".json",
    ".jsonl",
    ".ndjson",
    ".md",
    ".txt",
    ".log",
    ".yml",
    ".yaml",
    ".xml",
}
MARKED = re.compile(r"<!-- person (\S+) -->.*?<!-- /person -->", re.DOTALL)
SKIP_SUFFIXES = {".duckdb", ".wal", ".gpickle", ".msgpack"}


@dataclass
class FileScrub:
    removed: list[Path] = field(default_factory=list)
    rewritten: list[Path] = field(default_factory=list)
    # the content of each rewritten file before, for the ingestion ledger
    before: dict[Path, bytes] = field(default_factory=dict)
    not_rewritten: list[Path] = field(default_factory=list)


def _pattern(person: Person) -> re.Pattern | None:
    strings = person.strings()
    strings |= {html.escape(s) for s in strings}
    if not strings:
        return None
    return re.compile(
        "|".join(re.escape(s) for s in sorted(strings, key=len, reverse=True)), re.IGNORECASE
    )


def _row_is_theirs(cells: list[str], ids: set[str], pattern: re.Pattern | None) -> bool:
    return any(
        c.lstrip("'") in ids or (pattern is not None and pattern.search(c)) for c in cells if c
    )


def _scrub_rows(header: list[str], rows: list[list[str]], ids: set[str], pattern) -> bool:
    changed = False
    wiped = {
        i for i, h in enumerate(header) if (h or "").strip() in PERSONAL_COLUMNS | TEXT_COLUMNS
    }
    for row in rows:
        if not _row_is_theirs(row, ids, pattern):
            continue
        for i, value in enumerate(row):
            if not value:
                continue
            new = ERASED if i in wiped else (pattern.sub(ERASED, value) if pattern else value)
            if new != value:
                row[i] = new
                changed = True
    return changed


def _scrub_csv(text: str, ids: set[str], pattern) -> str | None:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        return None
    if not _scrub_rows(rows[0], rows[1:], ids, pattern):
        return None
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n" if "\r\n" in text else "\n").writerows(rows)
    return out.getvalue()


def _scrub_xlsx(path: Path, ids: set[str], pattern) -> bool:
    from openpyxl import load_workbook

    book = load_workbook(path)
    changed = False
    for sheet in book.worksheets:
        grid = [[c for c in row] for row in sheet.iter_rows()]
        if not grid:
            continue
        header = [str(c.value or "") for c in grid[0]]
        values = [[("" if c.value is None else str(c.value)) for c in row] for row in grid[1:]]
        if _scrub_rows(header, values, ids, pattern):
            for cells, new in zip(grid[1:], values, strict=True):
                for cell, value in zip(cells, new, strict=True):
                    if value != ("" if cell.value is None else str(cell.value)):
                        cell.value = value
            changed = True
    if changed:
        book.save(path)
    return changed


def _scrub_text(path: Path, text: str, ids: set[str], pattern) -> str | None:
    new = text
    if path.suffix.lower() == ".csv":
        new = _scrub_csv(text, ids, pattern) or text
    if path.suffix.lower() in (".html", ".htm"):
        new = MARKED.sub(
            lambda m: f"<tr><td>{ERASED}</td></tr>" if m.group(1) in ids else m.group(0), new
        )
    if pattern is not None:
        new = pattern.sub(ERASED, new)
    return new if new != text else None


def scrub_files(root: Path, person: Person, skip: tuple[Path, ...] = ()) -> FileScrub:
    """Remove or rewrite every file under `root` that holds the person."""
    result = FileScrub()
    ids = person.ids()
    pattern = _pattern(person)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if any(path.is_relative_to(s) for s in skip) or path.suffix.lower() in SKIP_SUFFIXES:
            continue
        if path.stem in person.prospect_ids:
            path.unlink()
            result.removed.append(path)
            continue
        suffix = path.suffix.lower()
        data = path.read_bytes()
        if suffix == ".eml":
            if pattern is not None and pattern.search(data.decode("utf-8", "replace")):
                path.unlink()
                result.removed.append(path)
            continue
        if suffix == ".xlsx":
            if _scrub_xlsx(path, ids, pattern):
                result.before[path] = data
                result.rewritten.append(path)
            continue
        if suffix not in TEXT_SUFFIXES:
            if pattern is not None and pattern.search(data.decode("latin-1")):
                result.not_rewritten.append(path)
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        new = _scrub_text(path, text, ids, pattern)
        if new is not None:
            path.write_text(new, encoding="utf-8", newline="")
            result.before[path] = data
            result.rewritten.append(path)
    return result
