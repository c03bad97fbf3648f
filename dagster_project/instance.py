"""The Dagster instance a CLI run records its events in.

By default the workspace's persistent instance (the UI shows the run), kept in SQLite
files under `<home>/dagster` in Dagster's own layout, through `HeldConnectionStorage`
(named in the workspace's `dagster.yaml`): Dagster's SQLite storage opens a new
connection for every event it writes (a daily run writes ~700) and commits each with a
flush to disk; here each database file keeps its connection for the process's life, in
WAL mode with `synchronous=NORMAL` (a commit survives the process dying; only a power
loss can take the last moments of run history, never the warehouse). Measured on the
1,500-lead demo, whole `outreach run` process, median of 4 pairs: 71.3 s before, 56.0 s
after. With
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
from dagster._core.storage.event_log import InMemoryEventLogStorage, SqliteEventLogStorage
from dagster._core.storage.noop_compute_log_manager import NoOpComputeLogManager
from dagster._core.storage.root import TemporaryLocalArtifactStorage
from dagster._core.storage.runs import InMemoryRunStorage, SqliteRunStorage
from dagster._core.storage.schedules import SqliteScheduleStorage
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._core.storage.sqlite_storage import (
    DagsterSqliteStorage,
    _event_logs_directory,
    _runs_directory,
    _schedule_directory,
)
from sqlalchemy import create_engine, event
from sqlalchemy.pool import QueuePool

from core.workspace import Workspace


class SchemaAnswersKept:
    """Dagster's SQL event log asks SQLite for its tables' columns before writing each
    asset event (~1,500 times a run); the schema changes only through `dagster instance
    migrate`, so each answer is kept for the storage's life."""

    def has_asset_key_col(self, column_name: str) -> bool:
        known = self.__dict__.get("_asset_key_cols", {})
        if column_name in known:  # no connection opened for a known answer
            return known[column_name]
        return super().has_asset_key_col(column_name)  # answered on the connection below

    def _has_asset_key_col_on_connection(self, conn, column_name: str) -> bool:
        # the one place an answer is asked for and kept (also asked on a connection a
        # write already holds)
        known = self.__dict__.setdefault("_asset_key_cols", {})
        if column_name not in known:
            known[column_name] = super()._has_asset_key_col_on_connection(conn, column_name)
        return known[column_name]

    @cache  # noqa: B019 - one storage per process
    def has_table(self, table_name: str) -> bool:
        return super().has_table(table_name)


class HeldConnectionEventLog(SchemaAnswersKept, InMemoryEventLogStorage):
    """Dagster's in-memory event log on the one connection it already holds."""

    @contextmanager
    def _connect(self):
        with self._db_lock, self._held_conn.begin():
            yield self._held_conn


def _held_engine(url: str):
    """A SQLite file's connection kept open between uses (a use nested inside another
    opens one more, closed when it is returned), in WAL mode with commits flushed to the
    operating system but not forced to disk each time."""
    engine = create_engine(
        url,
        poolclass=QueuePool,
        pool_size=1,
        max_overflow=8,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


class HeldConnectionSqliteEventLog(SchemaAnswersKept, SqliteEventLogStorage):
    """Dagster's SQLite event log (one file per run, one index file) with a kept
    connection per file: the run's own file and the index while a run writes; the least
    recently used are closed past `KEEP` (the UI reads many runs' files)."""

    KEEP = 8

    def __init__(self, base_dir: str, inst_data=None):
        self._engines: dict[str, object] = {}
        super().__init__(base_dir, inst_data)

    @contextmanager
    def _connect(self, shard: str):
        with self._db_lock:
            engine = self._engines.pop(shard, None)
            if engine is None:
                engine = _held_engine(self.conn_string_for_shard(shard))
                if shard not in self._initialized_dbs:
                    self._initdb(engine)
                    self._initialized_dbs.add(shard)
            self._engines[shard] = engine  # most recently used last
            while len(self._engines) > self.KEEP:
                self._engines.pop(next(iter(self._engines))).dispose()
            with engine.connect() as conn, conn.begin():
                yield conn

    def dispose(self) -> None:
        with self._db_lock:
            for engine in self._engines.values():
                engine.dispose()
            self._engines.clear()
        super().dispose()


class HeldConnectionRunStorage(SqliteRunStorage):
    """Dagster's SQLite run storage on one kept connection."""

    def __init__(self, conn_string: str, inst_data=None):
        super().__init__(conn_string, inst_data)
        self._engine = _held_engine(conn_string)

    @contextmanager
    def connect(self):
        with self._engine.connect() as conn, conn.begin():
            yield conn

    def dispose(self) -> None:
        self._engine.dispose()
        super().dispose()


class HeldConnectionStorage(DagsterSqliteStorage):
    """The workspace's run history: Dagster's SQLite layout under `base_dir` (so the UI and
    an older workspace read the same files) through the kept connections above.

    Named in `dagster.yaml` as `storage: custom: {module: dagster_project.instance, class:
    HeldConnectionStorage, config: {base_dir: {env: DAGSTER_HOME}}}`."""

    def __init__(self, base_dir: str, inst_data=None):
        self.base_dir = base_dir
        self._run_storage = HeldConnectionRunStorage.from_local(_runs_directory(base_dir))
        self._event_log_storage = HeldConnectionSqliteEventLog(_event_logs_directory(base_dir))
        self._schedule_storage = SqliteScheduleStorage.from_local(_schedule_directory(base_dir))
        self._inst_data = inst_data
        super(DagsterSqliteStorage, self).__init__()

    @classmethod
    def from_config_value(cls, inst_data, config_value):
        return cls.from_local(inst_data=inst_data, **config_value)


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
    install_instance_yaml(home)
    # the storage's base_dir in dagster.yaml is $DAGSTER_HOME: this home while it is built
    before = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(home)
    try:
        return DagsterInstance.from_config(str(home))
    finally:
        if before is None:
            os.environ.pop("DAGSTER_HOME", None)
        else:
            os.environ["DAGSTER_HOME"] = before


# what `make install` copied before the kept-connection storage: replaced, never a
# yaml a user wrote themselves
EARLIER_YAML = "# Copied into $DAGSTER_HOME by `make install`.\ntelemetry:\n  enabled: false\n"


def install_instance_yaml(home: Path) -> None:
    """The project's dagster.yaml in an instance's home, unless the user has their own."""
    target = home / "dagster.yaml"
    if not target.exists() or target.read_text() == EARLIER_YAML:
        shutil.copyfile(DAGSTER_YAML, target)
