"""The Dagster instance a CLI run records its events in.

By default the workspace's persistent instance (the UI shows the run). With
OUTREACH_RUN_HISTORY=memory, an in-memory instance, as `DagsterInstance.ephemeral()`
makes, with one difference: its
event log keeps one SQLite connection for its life. Dagster's in-memory event log opens
a new connection (and sets two pragmas) for every read and write, and reads its tables'
columns back from SQLite each time it asks whether one exists; a daily
run stores ~700 events and asks ~1,500 such questions, which cost ~20 s of a ~35 s run.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from dagster import DagsterInstance
from dagster._core.instance import InstanceType
from dagster._core.launcher.sync_in_memory_run_launcher import SyncInMemoryRunLauncher
from dagster._core.run_coordinator import DefaultRunCoordinator
from dagster._core.storage.event_log import InMemoryEventLogStorage
from dagster._core.storage.noop_compute_log_manager import NoOpComputeLogManager
from dagster._core.storage.root import TemporaryLocalArtifactStorage
from dagster._core.storage.runs import InMemoryRunStorage

from core.workspace import Workspace


class HeldConnectionEventLog(InMemoryEventLogStorage):
    """Dagster's in-memory event log on the one connection it already holds."""

    @contextmanager
    def _connect(self):
        with self._db_lock, self._held_conn.begin():
            yield self._held_conn

    @cache  # noqa: B019 - one instance per run; the schema never changes within it
    def has_asset_key_col(self, column_name: str) -> bool:
        return super().has_asset_key_col(column_name)

    @cache  # noqa: B019
    def has_table(self, table_name: str) -> bool:
        return super().has_table(table_name)


def in_memory_instance() -> DagsterInstance:
    return DagsterInstance(
        instance_type=InstanceType.EPHEMERAL,
        local_artifact_storage=TemporaryLocalArtifactStorage(),
        run_storage=InMemoryRunStorage(),
        event_storage=HeldConnectionEventLog(),
        compute_log_manager=NoOpComputeLogManager(),
        run_coordinator=DefaultRunCoordinator(),
        run_launcher=SyncInMemoryRunLauncher(),
    )


DAGSTER_YAML = Path(__file__).parent / "dagster.yaml"


def run_instance(ws: Workspace) -> DagsterInstance:
    """Where a CLI run records its events: the persistent instance under DAGSTER_HOME, by
    default the workspace's own (`<home>/dagster`, the one `make dev` shows), so every run
    appears in the UI's history; in memory when OUTREACH_RUN_HISTORY=memory (the test
    suite; it saves the instance's writes, ~10 s a run)."""
    if os.environ.get("OUTREACH_RUN_HISTORY") == "memory":
        return in_memory_instance()
    home = Path(os.environ.get("DAGSTER_HOME") or ws.dagster_home)
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        shutil.copyfile(DAGSTER_YAML, home / "dagster.yaml")
    return DagsterInstance.from_config(str(home))
