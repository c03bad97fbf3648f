"""The analysts' copy: at the end of every daily run, the marts copied into
`warehouse.read.duckdb` beside the warehouse, replaced in one step (a reader sees the
last run's marts or the one before, never half of one). DuckDB has one writer and a
run holds the warehouse for its whole dbt build, so a dashboard or notebook that must
always open reads this file (read-only) instead; the PostgreSQL target is the other way
(README, A shared warehouse). Only the marts are copied: what analysts query, with the
personal data the marts carry and nothing from raw."""

import json
import os
from pathlib import Path

import duckdb
from dagster import AssetExecutionContext, MaterializeResult

from assets.exports.daily_export import daily_export
from core.dbt_project import dbt_project
from core.resources import WarehouseResource
from core.workspace import read_copy_of


def _mart_names() -> list[str]:
    manifest = json.loads(Path(dbt_project.manifest_path).read_text())
    return sorted(
        n["name"]
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model" and n["fqn"][1] == "marts"
    )


def publish_read_copy(warehouse_file: Path) -> tuple[Path, int]:
    """Copy every table of the `marts` schema into the read copy; (path, tables)."""
    target = read_copy_of(warehouse_file)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    with duckdb.connect(str(warehouse_file), read_only=True) as con:
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts' and table_catalog = current_database() "
                "order by table_name"
            ).fetchall()
        ]
        con.execute(f"attach '{partial}' as read_copy (read_only false)")
        con.execute("create schema read_copy.marts")
        for table in tables:
            con.execute(f'create table read_copy.marts."{table}" as select * from marts."{table}"')
        con.execute("detach read_copy")
    os.replace(partial, target)
    return target, len(tables)


@daily_export(
    "warehouse_read_copy",
    reads=_mart_names(),
    description="""
        <home>/warehouse.read.duckdb: the marts as this run left them, for analysts who must
        be able to open the warehouse while a run holds it (DuckDB has one writer). Replaced
        in one step at the end of each run; removed by an erasure until the next run.
    """,
    kinds=("duckdb",),
)
def warehouse_read_copy(
    context: AssetExecutionContext, warehouse: WarehouseResource
) -> MaterializeResult:
    path, tables = publish_read_copy(Path(warehouse.file))
    return MaterializeResult(metadata={"path": str(path), "tables": tables})
