"""Whether the warehouse file can be opened, and what to tell a user when it cannot.

Every CLI verb that reads the warehouse asks first, so a damaged or busy file gives one
clear message naming the file and what to do, never a traceback. Landing files are never
touched here: they are the source the warehouse is rebuilt from."""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import duckdb


class WarehouseUnusable(RuntimeError):
    """The warehouse file exists but cannot be used; the message says what to do."""


def explain(path: Path, exc: BaseException) -> str:
    detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "lock" in detail.lower():
        return (
            f"the warehouse {path} is in use by another process ({detail}). Wait for the "
            f"running `outreach run` or `send` to finish, or close the program holding it "
            f"(an open DuckDB shell or notebook), then try again."
        )
    return (
        f"the warehouse {path} is damaged or is not a DuckDB database ({detail}). Nothing "
        f"was changed. To rebuild it, move it aside (mv {path.name} {path.name}.damaged) and "
        f"run `outreach run`: raw, staging and marts are rebuilt from the landing files, which "
        f"are untouched. Review decisions, send records and privacy requests live only in "
        f"the warehouse: restore those from a backup of the file."
    )


LOCK_WAIT_SECONDS = float(os.environ.get("OUTREACH_LOCK_WAIT_SECONDS", "120"))


def check_warehouse(
    path: Path, wait: float | None = None, say=lambda line: print(line, file=sys.stderr)
) -> None:
    """Raise WarehouseUnusable when `path` exists and DuckDB cannot open it. While another
    process holds it (a run in its dbt step), wait up to `wait` seconds
    (OUTREACH_LOCK_WAIT_SECONDS, 120), saying once who holds it."""
    path = Path(path)
    if not path.exists():
        return
    wait = LOCK_WAIT_SECONDS if wait is None else wait
    deadline, told = time.monotonic() + wait, False
    while True:
        try:
            duckdb.connect(str(path), read_only=True).close()
            return
        except duckdb.Error as exc:
            locked = "lock" in str(exc).lower()
            if not locked or time.monotonic() >= deadline:
                raise WarehouseUnusable(explain(path, exc)) from None
            if not told:
                holder = re.search(r"\(PID (\d+)\)", str(exc))
                say(
                    f"outreach: waiting up to {wait:.0f} s for the warehouse {path}, held by "
                    f"{'process ' + holder[1] if holder else 'another process'}"
                )
                told = True
            time.sleep(0.5)


def is_damage(exc: BaseException) -> bool:
    """A DuckDB error that means the file (not the query) is the problem."""
    text = str(exc).lower()
    return isinstance(exc, duckdb.Error) and any(
        word in text
        for word in ("not a valid duckdb", "corrupt", "checksum", "could not set lock", "io error")
    )
