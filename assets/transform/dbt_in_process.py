"""dbt in the run's own process, from a manifest parsed once per process.

dagster-dbt starts `dbt build` as a child process. Each start costs what a daily run
cannot afford twice: dbt's imports (~3 s), loading the project (partial parse, ~2 s; a
full parse, ~8 s, whenever the warehouse path differs from the last one) and writing
manifest.json back (~2.6 s), then the Dagster process reads every log line back as JSON.
Here dbt is called through its Python entry point (`dbtRunner`) with a manifest kept
in memory: the project is parsed once per process and warehouse name, both steps of a
run and every later run in the same process skip parsing altogether, and dbt's result
events become the same Dagster events dagster-dbt would make of them (its own
`DbtCoreCliEventMessage` does the conversion). A run killed outright takes dbt with it:
there is no child left to hold the warehouse's lock.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import shutil
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dagster import AssetExecutionContext
from dagster_dbt.asset_utils import (
    DAGSTER_DBT_EXCLUDE_METADATA_KEY,
    DAGSTER_DBT_SELECT_METADATA_KEY,
    DAGSTER_DBT_SELECTOR_METADATA_KEY,
    get_manifest_and_translator_from_dbt_assets,
    get_subset_selection_for_context,
)
from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage
from dagster_dbt.errors import DagsterDbtCliRuntimeError

from core.dbt_project import DBT_PROJECT_DIR

RESULT_EVENTS = frozenset({"LogSeedResult", "LogModelResult", "LogSnapshotResult", "LogTestResult"})
PARTIAL_PARSE = "partial_parse.msgpack"
KEEP_RUN_TARGETS = 14
_DONE = object()

# one dbt invocation at a time per process: dbt's flags and adapters are process-wide
_INVOKE = threading.Lock()
_MANIFESTS: dict[tuple[str, str], Any] = {}


@contextmanager
def _environment(**values: str) -> Iterator[None]:
    """dbt's profile reads the warehouse from the environment: set it for one invocation."""
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _project_args(target_path: Path, dbt_target: str) -> list[str]:
    return [
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target",
        dbt_target,
        "--target-path",
        str(target_path),
        "--log-path",
        str(target_path),
        # dbt writes every statement to its file log at debug level, under a lock its threads
        # share: a quarter of a run's time. The file log keeps info and above (progress,
        # warnings, errors); DBT_LOG_LEVEL_FILE=debug brings the statements back.
        "--log-level-file",
        os.environ.get("DBT_LOG_LEVEL_FILE", "info"),
    ]


def _database(warehouse_file: str, dbt_target: str) -> str:
    """What the parsed project depends on besides its files: the relation names carry the
    database, which dbt-duckdb takes from the file's name (`warehouse` for
    `…/warehouse.duckdb`) and the shared target from its profile."""
    if dbt_target == "duckdb":
        return Path(warehouse_file).stem
    return os.environ.get("OUTREACH_PG_DATABASE", "outreach")


def _close_duckdb() -> None:
    """dbt-duckdb keeps its database open in a class attribute until the process exits;
    closed here so the warehouse is free (for the next step, an analyst, another run) the
    moment dbt has finished."""
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # pragma: no cover - dbt-duckdb is a dependency
        return
    with DuckDBConnectionManager._LOCK:
        env = DuckDBConnectionManager._ENV
        DuckDBConnectionManager._ENV = None
        if env is not None:
            env.close()


def manifest_for(warehouse_file: str, dbt_target: str) -> Any:
    """dbt's parsed project for this target and database name, parsed once per process.

    The parse runs against a stand-in path with the same database name under
    `target/parse/`, so dbt's partial-parse file stays valid across workspaces (dbt reparses
    everything when the profile changes) and is shared by every process on this checkout
    (copied in, written back atomically)."""
    database = _database(warehouse_file, dbt_target)
    key = (dbt_target, database)
    if key in _MANIFESTS:
        return _MANIFESTS[key]
    from dbt.cli.main import dbtRunner

    digest = hashlib.sha256(f"{dbt_target}|{database}".encode()).hexdigest()[:16]
    cache = DBT_PROJECT_DIR / "target" / "parse" / f"{digest}.msgpack"
    scratch = DBT_PROJECT_DIR / "target" / "parse" / f"{digest}-{os.getpid()}"
    scratch.mkdir(parents=True, exist_ok=True)
    if cache.exists():
        shutil.copy(cache, scratch / PARTIAL_PARSE)
    stand_in = str(DBT_PROJECT_DIR / "target" / "parse" / f"{database}.duckdb")
    with _INVOKE, _environment(OUTREACH_WAREHOUSE=stand_in):
        # --no-write-json: the manifest lives in memory; written, it would be ~10 MB into a
        # scratch folder removed below (the partial-parse file is written either way)
        result = dbtRunner().invoke(
            ["parse", "--quiet", "--no-write-json", *_project_args(scratch, dbt_target)]
        )
    if not result.success:
        raise DagsterDbtCliRuntimeError(
            description=f"dbt could not parse {DBT_PROJECT_DIR}: {result.exception}"
        )
    written = scratch / PARTIAL_PARSE
    if written.exists():
        partial = cache.with_suffix(f".{os.getpid()}.tmp")
        shutil.copy(written, partial)
        os.replace(partial, cache)
    shutil.rmtree(scratch, ignore_errors=True)
    _MANIFESTS[key] = result.result
    return result.result


def _selection(context: AssetExecutionContext) -> tuple[list[str], Mapping[str, Any], Any]:
    """The dbt selection for the assets and checks this step was asked for (all of them,
    or the subset a user picked in the UI), as dagster-dbt computes it."""
    manifest, translator, _ = get_manifest_and_translator_from_dbt_assets([context.assets_def])
    tags = context.op.tags
    args, indirect = get_subset_selection_for_context(
        context=context,
        manifest=manifest,
        select=tags.get(DAGSTER_DBT_SELECT_METADATA_KEY),
        exclude=tags.get(DAGSTER_DBT_EXCLUDE_METADATA_KEY),
        selector=tags.get(DAGSTER_DBT_SELECTOR_METADATA_KEY),
        dagster_dbt_translator=translator,
        current_dbt_indirect_selection_env=os.environ.get("DBT_INDIRECT_SELECTION"),
    )
    if indirect:
        args = [*args, "--indirect-selection", indirect]
    return args, manifest, translator


def build(
    context: AssetExecutionContext,
    args: list[str],
    *,
    warehouse_file: str,
    dbt_target: str,
    target_path: Path,
) -> Iterator[Any]:
    """`dbt <args>` for this step's selection, in process; yields the Dagster events of its
    results as they come and raises, after the last one, if dbt failed."""
    from dbt.cli.main import dbtRunner
    from dbt_common.events.functions import msg_to_dict

    dbt_manifest = manifest_for(warehouse_file, dbt_target)
    selection, manifest, translator = _selection(context)
    target_path.mkdir(parents=True, exist_ok=True)
    events: queue.Queue = queue.Queue()
    errors: list[str] = []
    # dbt's own lines, written where this step's output goes (`outreach run` sends it to
    # the run log). dbt's console logger is kept quiet: it holds on to the stream of the
    # first invocation in the process, which a later run may have closed.
    out = sys.stdout

    def on_event(msg) -> None:
        info = msg.info
        if info.name in RESULT_EVENTS:
            events.put(msg_to_dict(msg))
        if info.level in ("info", "warn", "error") and info.msg:
            events.put(f"{info.ts.ToDatetime():%H:%M:%S}  {info.msg}\n")  # written below
            if info.level == "error":
                errors.append(info.msg)

    outcome: dict[str, Any] = {}

    def invoke() -> None:
        try:
            with _INVOKE, _environment(OUTREACH_WAREHOUSE=warehouse_file):
                runner = dbtRunner(manifest=dbt_manifest, callbacks=[on_event])
                # --no-write-json: dbt would write the whole manifest (~10 MB, ~1 s) into
                # every step's target; run_results.json alone is written below
                outcome["result"] = runner.invoke(
                    [
                        *args,
                        "--quiet",
                        "--no-write-json",
                        *selection,
                        *_project_args(target_path, dbt_target),
                    ]
                )
                _write_run_results(outcome["result"], target_path)
        except BaseException as error:  # noqa: BLE001 - handed to the step below
            outcome["error"] = error
        finally:
            _close_duckdb()
            events.put(_DONE)

    worker = threading.Thread(target=invoke, name="dbt", daemon=True)
    worker.start()
    while (raw := events.get()) is not _DONE:
        if isinstance(raw, str):  # one writer: lines from dbt's threads are written here
            out.write(raw)
            continue
        message = DbtCoreCliEventMessage(raw_event=raw, event_history_metadata={})
        yield from message.to_default_asset_events(
            manifest=manifest,
            dagster_dbt_translator=translator,
            context=context,
            target_path=target_path,
        )
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    result = outcome["result"]
    if not result.success:
        detail = "\n".join(errors[-20:]) or str(result.exception or "")
        raise DagsterDbtCliRuntimeError(
            description=(
                f"dbt {' '.join(args)} failed (debug log: {target_path / 'dbt.log'}):\n{detail}"
            )
        )


def _write_run_results(result: Any, target_path: Path) -> None:
    """dbt's run_results.json (each node's status and timings), as dbt writes it."""
    if hasattr(getattr(result, "result", None), "write"):
        result.result.write(str(target_path / "run_results.json"))


def run_target(home: Path, run_id: str, step: str, keep: int = KEEP_RUN_TARGETS) -> Path:
    """Where a run's dbt step writes its compiled SQL, run_results.json and debug log: the
    workspace's `logs/dbt/run-<id>/<step>`, the newest `keep` runs kept (each is a few MB
    of SQL; none holds a person's data)."""
    root = home / "logs" / "dbt"
    runs = sorted(root.glob("run-*"), key=lambda p: p.stat().st_mtime) if root.exists() else []
    current = root / f"run-{run_id[:8]}"
    for old in [p for p in runs if p != current][: max(0, len(runs) - keep)]:
        shutil.rmtree(old, ignore_errors=True)
    return current / step


def vars_arg(as_of: str) -> list[str]:
    return ["--vars", json.dumps({"as_of": as_of})]
