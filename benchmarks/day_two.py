"""The second day of an incremental benchmark: a share of every landing file and of the
mailbox is held back from the first day and arrives as new files on the second, so day 2
brings new leads (new people and known people seen again), suppressions, observations,
signals, events and mail in the same proportions as day 1."""

import shutil
from pathlib import Path

import polars as pl


def _split_lines(path: Path, target: Path, share: float) -> int:
    """Move the last `share` of a CSV's or JSON-lines file's rows to `target` (a CSV keeps
    its header in both); returns the rows moved."""
    lines = path.read_bytes().splitlines(keepends=True)
    head, body = (lines[:1], lines[1:]) if path.suffix == ".csv" else ([], lines)
    keep = len(body) - round(len(body) * share)
    path.write_bytes(b"".join(head + body[:keep]))
    target.write_bytes(b"".join(head + body[keep:]))
    return len(body) - keep


def hold_back(home: Path, held: Path, share: float) -> dict[str, int]:
    """Move the last `share` of each landing file's rows, and of the mailbox's messages,
    out of `home` into `held` (same folders, names ending `_day2`). Returns rows held back
    per landing kind."""
    counts: dict[str, int] = {}
    for path in sorted((home / "landing").glob("*/*")):
        kind = path.parent.name
        target = held / "landing" / kind / f"{path.stem}_day2{path.suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".parquet":
            table = pl.read_parquet(path)
            keep = table.height - round(table.height * share)
            table.head(keep).write_parquet(path)
            table.slice(keep).write_parquet(target)
            moved = table.height - keep
        else:
            moved = _split_lines(path, target, share)
        counts[kind] = counts.get(kind, 0) + moved
    messages = sorted((home / "mailbox").glob("*.eml"))
    later = messages[len(messages) - round(len(messages) * share) :]
    (held / "mailbox").mkdir(parents=True, exist_ok=True)
    for message in later:
        shutil.move(message, held / "mailbox" / message.name)
    counts["mail"] = len(later)
    return counts


def arrive(held: Path, home: Path) -> None:
    """Day 2's files land in the workspace."""
    for path in held.rglob("*"):
        if path.is_file():
            target = home / path.relative_to(held)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(path, target)
