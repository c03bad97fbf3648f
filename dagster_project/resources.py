"""Resources: where the workspace and the warehouse are, fed by environment variables."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
from dagster import ConfigurableResource

from dagster_project.config import OutreachConfig, load_config
from dagster_project.workspace import Workspace


class WarehouseResource(ConfigurableResource):
    """The DuckDB warehouse file. DuckDB has one writer: connections are short-lived and
    the jobs that write run in process, one step at a time."""

    path: str

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(self.path, read_only=read_only)
        try:
            yield con
        finally:
            con.close()


class WorkspaceResource(ConfigurableResource):
    """The workspace folder (OUTREACH_HOME): config, landing files, mailbox, exports."""

    home: str

    @property
    def workspace(self) -> Workspace:
        return Workspace(Path(self.home).resolve())

    def load_config(self) -> OutreachConfig:
        return load_config(self.workspace.config_dir)
