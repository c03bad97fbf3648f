"""The resources every stage declares: where the warehouse and the workspace are. The
roof (dagster_project/definitions.py) gives them their values from the environment."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
from dagster import ConfigurableResource

from core.config import OutreachConfig, load_config
from core.workspace import Workspace


class WarehouseResource(ConfigurableResource):
    """The DuckDB warehouse file. DuckDB has one writer: connections are short-lived and
    the jobs that write run in process, one step at a time.

    With `OUTREACH_DBT_TARGET=postgres` (read when used, as dbt's profile reads it) dbt
    builds in a shared PostgreSQL warehouse: `publish_sources` copies what the Python
    assets wrote there before a build and `collect_models` copies what dbt built back
    (core/postgres_mirror.py)."""

    # unset: OUTREACH_WAREHOUSE, else `<OUTREACH_HOME>/warehouse.duckdb`, read when used (so
    # `make dev` and the UI need only OUTREACH_HOME, as dbt's profile does)
    path: str | None = None

    @property
    def file(self) -> str:
        return self.path or str(Workspace.resolve().warehouse)

    @property
    def dbt_target(self) -> str:
        return os.environ.get("OUTREACH_DBT_TARGET", "duckdb")

    @property
    def is_shared(self) -> bool:
        return self.dbt_target == "postgres"

    def publish_sources(self, manifest: dict) -> dict[str, int]:
        from core.postgres_mirror import postgres, push_sources

        with self.connect(read_only=True) as con, postgres() as pg:
            return push_sources(con, pg, manifest)

    def collect_models(self, manifest: dict) -> dict[str, int]:
        from core.postgres_mirror import postgres, pull_models

        with self.connect() as con, postgres() as pg:
            return pull_models(pg, con, manifest)

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        Path(self.file).parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(
            self.file,
            read_only=read_only,
            # the same cap dbt's profile sets: DuckDB spills past it instead of taking 80% of RAM
            config={"memory_limit": os.environ.get("OUTREACH_DUCKDB_MEMORY_LIMIT", "2GB")},
        )
        try:
            yield con
        finally:
            con.close()


class WorkspaceResource(ConfigurableResource):
    """The workspace folder (OUTREACH_HOME): config, landing files, mailbox, exports."""

    # unset: OUTREACH_HOME, else ./workspace, read when used
    home: str | None = None

    @property
    def workspace(self) -> Workspace:
        return Workspace(Path(self.home).resolve()) if self.home else Workspace.resolve()

    def load_config(self) -> OutreachConfig:
        return load_config(self.workspace.config_dir)
