"""The Dagster instance a CLI run records its events in.

With DAGSTER_HOME set, the persistent instance there (the UI shows the run). Without it,
an in-memory instance, as `DagsterInstance.ephemeral()` makes, with one difference: its
event log keeps one SQLite connection for its life. Dagster's in-memory event log opens
a new connection (and sets two pragmas) for every read and write, and reads its tables'
columns back from SQLite each time it asks whether one exists; a daily
run stores ~700 events and asks ~1,500 such questions, which cost ~20 s of a ~35 s run.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from functools import cache

from dagster import DagsterInstance
from dagster._core.instance import InstanceType
from dagster._core.launcher.sync_in_memory_run_launcher import SyncInMemoryRunLauncher
from dagster._core.run_coordinator import DefaultRunCoordinator
from dagster._core.storage.event_log import InMemoryEventLogStorage
from dagster._core.storage.noop_compute_log_manager import NoOpComputeLogManager
from dagster._core.storage.root import TemporaryLocalArtifactStorage
from dagster._core.storage.runs import InMemoryRunStorage


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


def run_instance() -> DagsterInstance:
    """The persistent instance under DAGSTER_HOME when it is set, else one in memory."""
    return DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else in_memory_instance()
