"""Decisions coming back through Dagster: a job that imports one returned file, and a
sensor that starts it for each new file in the workspace's `decisions/` folder.

The same function as `outreach queue import` (no second code path)."""

import hashlib
import os
from datetime import UTC, date, datetime
from pathlib import Path

from dagster import (
    Config,
    DefaultSensorStatus,
    Failure,
    OpExecutionContext,
    RunConfig,
    RunRequest,
    SensorEvaluationContext,
    SkipReason,
    in_process_executor,
    job,
    op,
    sensor,
)

from core.resources import WarehouseResource, WorkspaceResource
from core.workspace import Workspace

RETURNED = (".xlsx", ".csv")


class ImportDecisionsConfig(Config):
    path: str
    as_of: str = ""  # the decision date; empty means today (UTC)


@op(description="Validate a returned review queue and record its decisions (review.decisions).")
def import_decisions_op(
    context: OpExecutionContext,
    config: ImportDecisionsConfig,
    workspace: WorkspaceResource,
    warehouse: WarehouseResource,
) -> None:
    from assets.review.decisions import DecisionFileError, import_decisions

    as_of = date.fromisoformat(config.as_of) if config.as_of else datetime.now(UTC).date()
    try:
        with warehouse.connect() as con:
            result = import_decisions(
                con, Path(config.path), workspace.workspace, workspace.load_config(), as_of
            )
    except DecisionFileError as exc:
        raise Failure(str(exc)) from None
    context.log.info(
        f"{config.path}: {result.accepted} accepted, {result.rejected} rejected, "
        f"{result.undecided} undecided{' (already imported)' if result.already_imported else ''}"
    )
    for row, reason in result.reasons:
        context.log.warning(f"row {row}: {reason}")


@job(executor_def=in_process_executor, description="Import one returned review queue file.")
def import_decisions_job():
    import_decisions_op()


@sensor(
    job=import_decisions_job,
    minimum_interval_seconds=60,
    default_status=DefaultSensorStatus.RUNNING,
    description="Starts an import for each new .xlsx or .csv in <home>/decisions/ (by content).",
)
def decisions_sensor(context: SensorEvaluationContext):
    home = os.environ.get("OUTREACH_HOME")
    if not home:
        return SkipReason("OUTREACH_HOME is not set")
    folder = Workspace.resolve(home).decisions
    files = sorted(
        p for p in folder.glob("*") if p.suffix.lower() in RETURNED and not p.name.startswith("~$")
    )
    if not files:
        return SkipReason(f"no returned files in {folder}")
    for path in files:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        yield RunRequest(
            run_key=f"{path.name}:{digest}",
            run_config=RunConfig(
                ops={"import_decisions_op": ImportDecisionsConfig(path=str(path))}
            ),
        )
