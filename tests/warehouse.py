"""Helpers for tests that read a workspace's warehouse or build a demo workspace."""

from pathlib import Path

import duckdb
import polars as pl

from dagster_project.cli import main


def warehouse_sql(home: Path, query: str) -> pl.DataFrame:
    """A query's result from `<home>/warehouse.duckdb`, opened read-only and closed again."""
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        return con.sql(query).pl()


def demo_workspace(home: Path, leads: int, seed: int, as_of: str = "2026-11-24") -> Path:
    """`outreach generate` then `outreach run`, as a user runs them; both must succeed."""
    assert (
        main(
            [
                "generate",
                "--leads",
                str(leads),
                "--seed",
                str(seed),
                "--out",
                str(home),
                "--as-of",
                as_of,
            ]
        )
        == 0
    )
    assert main(["run", "--home", str(home), "--as-of", as_of]) == 0
    return home
