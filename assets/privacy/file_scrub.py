r"""Pseudonymise one person in the files of a workspace: exports, outbox, mailbox,
landing files and logs.

By what a file is: a file named after one of their ids (a brief, a handoff) is theirs
and removed, as is a message file (.eml) that mentions them; in a CSV or XLSX every row
that carries one of their ids or quotes them loses its personal and free-text columns;
in HTML the blocks the exports mark as one person's (`<!-- person ID -->`) are replaced;
and in every text file what still quotes their address, number or full name is
rewritten, in the file's own encoding (UTF-8, UTF-16 by its byte-order mark) and, in
JSON, however the characters are escaped (`\u0061nn@...`). Parquet files are rewritten
row by row; mail (a .eml file, a Maildir entry) is judged on its decoded headers and
parts (base64, quoted-printable, RFC 2047) and removed when it names them, and an mbox
loses those messages. Files in other formats that hold them are listed, not rewritten."""

import codecs
import csv
import io
import mailbox
import re
from dataclasses import dataclass, field
from pathlib import Path

from assets.inbound.mailbox import is_maildir
from assets.ingestion.landing import UnreadableFile, decode
from assets.privacy.mail_text import readable_text
from assets.privacy.person import Person
from assets.privacy.quotes import Quotes
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


JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
MAIL_SUFFIXES = {".eml", ".msg"}
BOMS = {
    "utf-8-sig": codecs.BOM_UTF8,
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
}


def _is_mail(path: Path, root: Path) -> bool:
    """A message file: .eml/.msg, or an entry of a Maildir (`cur/`, `new/`, `tmp/`)."""
    return path.suffix.lower() in MAIL_SUFFIXES or (
        path.parent.name in ("cur", "new", "tmp") and is_maildir(path.parent.parent)
    )


def _is_mbox(path: Path, data: bytes) -> bool:
    return path.suffix.lower() == ".mbox" or (
        data.startswith(b"From ") and path.suffix.lower() not in TEXT_SUFFIXES
    )


def _row_is_theirs(cells: list[str], ids: set[str], pattern: re.Pattern | None) -> bool:
    return any(
        c.lstrip("'") in ids or (pattern is not None and pattern.search(c)) for c in cells if c
    )


def _scrub_rows(header: list[str], rows: list[list[str]], ids: set[str], pattern) -> bool:
    changed = False
    wiped = {
        i
        for i, h in enumerate(header)
        if (h or "").strip().lower().replace(" ", "_") in PERSONAL_COLUMNS | TEXT_COLUMNS
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


def _scrub_xlsx(path: Path, ids: set[str], quotes: Quotes) -> bool:
    from openpyxl import load_workbook

    book = load_workbook(path)
    changed = False
    for sheet in book.worksheets:
        grid = [[c for c in row] for row in sheet.iter_rows()]
        if not grid:
            continue
        header = [str(c.value or "") for c in grid[0]]
        values = [[("" if c.value is None else str(c.value)) for c in row] for row in grid[1:]]
        pattern = quotes.regex_for("\n".join("\t".join(row) for row in values))
        if _scrub_rows(header, values, ids, pattern):
            for cells, new in zip(grid[1:], values, strict=True):
                for cell, value in zip(cells, new, strict=True):
                    if value != ("" if cell.value is None else str(cell.value)):
                        cell.value = value
            changed = True
    if changed:
        book.save(path)
    return changed


def _scrub_text(path: Path, text: str, ids: set[str], quotes: Quotes) -> str | None:
    new = text
    pattern = quotes.regex_for(text)
    if path.suffix.lower() == ".csv":
        new = _scrub_csv(text, ids, pattern) or text
    if path.suffix.lower() in (".html", ".htm"):
        new = MARKED.sub(
            lambda m: f"<tr><td>{ERASED}</td></tr>" if m.group(1) in ids else m.group(0), new
        )
    if pattern is not None:
        new = pattern.sub(ERASED, new)
    return new if new != text else None


def _scrub_parquet(path: Path, ids: set[str], quotes: Quotes) -> bool:
    """Rows that carry one of their ids or quote them: personal and free-text columns
    erased, their strings rewritten in the others. The file is written again."""
    import polars as pl

    frame = pl.read_parquet(path)
    texts = [c for c, t in frame.schema.items() if t == pl.String]
    if not texts:
        return False
    values = [list(r) for r in frame.select(texts).iter_rows()]
    pattern = quotes.regex_for("\n".join("\t".join(v or "" for v in row) for row in values))
    if not _scrub_rows(texts, values, ids, pattern):
        return False
    rewritten = pl.DataFrame(values, schema=texts, orient="row")
    frame.with_columns(rewritten[c] for c in texts).write_parquet(path)
    return True


def _scrub_mbox(path: Path, quotes: Quotes) -> bool:
    if not quotes:
        return False
    box = mailbox.mbox(path, create=False)
    try:
        box.lock()
        keys = box.keys()  # noqa: SIM118 - iterating a mailbox gives messages, not keys
        theirs = [k for k in keys if quotes.found_in(readable_text(box.get_bytes(k)))]
        for key in theirs:
            box.remove(key)
        box.flush()
    finally:
        box.unlock()
        box.close()
    return bool(theirs)


def _read_text(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) by the same rules as the landing doors, or None for binary."""
    try:
        text, encoding, _ = decode(data)
    except UnreadableFile:
        return None
    return text, encoding


def _write_text(path: Path, text: str, encoding: str) -> None:
    body = text.encode(encoding.replace("-sig", ""), "surrogateescape")
    path.write_bytes(BOMS.get(encoding, b"") + body)


def scrub_files(root: Path, person: Person, skip: tuple[Path, ...] = ()) -> FileScrub:
    """Remove or rewrite every file under `root` that holds the person."""
    result = FileScrub()
    ids = person.ids()
    quotes = Quotes(person.strings())
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if any(path.is_relative_to(s) for s in skip) or path.suffix.lower() in SKIP_SUFFIXES:
            continue
        if path.stem in person.prospect_ids:
            path.unlink()
            result.removed.append(path)
            continue
        suffix = path.suffix.lower()
        data = path.read_bytes()
        if _is_mail(path, root):
            if quotes.found_in(readable_text(data)):
                path.unlink()
                result.removed.append(path)
            continue
        if _is_mbox(path, data):
            if _scrub_mbox(path, quotes):
                result.before[path] = data
                result.rewritten.append(path)
            continue
        if suffix == ".xlsx":
            if _scrub_xlsx(path, ids, quotes):
                result.before[path] = data
                result.rewritten.append(path)
            continue
        if suffix == ".parquet":
            if _scrub_parquet(path, ids, quotes):
                result.before[path] = data
                result.rewritten.append(path)
            continue
        read = _read_text(data) if suffix in TEXT_SUFFIXES else None
        if read is None:
            if quotes.found_in(data.decode("latin-1")):
                result.not_rewritten.append(path)
            continue
        text, encoding = read
        new = _scrub_text(path, text, ids, quotes)
        escaped = quotes.json_regex_for(new or text) if suffix in JSON_SUFFIXES else None
        if escaped is not None:
            new = escaped.sub(ERASED, new if new is not None else text)
            new = None if new == text else new
        if new is not None:
            _write_text(path, new, encoding)
            result.before[path] = data
            result.rewritten.append(path)
    return result
