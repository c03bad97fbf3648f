"""Whether the warehouse file can be opened, and what to tell a user when it cannot.

Every CLI verb that reads the warehouse asks first, so a damaged or busy file gives one
clear message naming the file and what to do, never a traceback. Landing files are never
touched here: they are the source the warehouse is rebuilt from."""

from __future__ import annotations

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


def check_warehouse(path: Path) -> None:
    """Raise WarehouseUnusable when `path` exists and DuckDB cannot open it."""
    path = Path(path)
    if not path.exists():
        return
    try:
        duckdb.connect(str(path), read_only=True).close()
    except duckdb.Error as exc:
        raise WarehouseUnusable(explain(path, exc)) from None


def is_damage(exc: BaseException) -> bool:
    """A DuckDB error that means the file (not the query) is the problem."""
    text = str(exc).lower()
    return isinstance(exc, duckdb.Error) and any(
        word in text
        for word in ("not a valid duckdb", "corrupt", "checksum", "could not set lock", "io error")
    )
