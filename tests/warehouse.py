"""Helpers for tests that read a workspace's warehouse or build a demo workspace."""

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl

from core.dbt_project import DBT_PROJECT_DIR
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


def run_dbt(
    home: Path, command: str, select: str, as_of: str = "2026-11-24", *flags: str
) -> subprocess.CompletedProcess:
    """`dbt <command> --select <select> [flags]` on `<home>/warehouse.duckdb`, as a user
    runs it, with its target folder under `home` (the project's own manifest is left alone)."""
    return subprocess.run(
        [
            str(Path(sys.executable).parent / "dbt"),
            command,
            "--select",
            select,
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(home / "dbt_target"),
            "--vars",
            f"{{as_of: '{as_of}'}}",
            *flags,
        ],
        env={**os.environ, "OUTREACH_WAREHOUSE": str(home / "warehouse.duckdb")},
        capture_output=True,
        text=True,
        check=False,
    )
