"""The daily run's privacy step, before any landing file is ingested: honour the day's
erasure and objection requests (landing/requests/), then retention (prospects inactive
for the configured period, from the last build), and rewrite the warehouse file when
anything was erased. Ingestion then keeps out any row about a forgotten person."""

from datetime import datetime

from dagster import (
    AssetExecutionContext,
    AssetKey,
    BackfillPolicy,
    MaterializeResult,
    asset,
)

from assets.privacy.erase import compact_warehouse, honour
from assets.privacy.requests import read_request_files, retention_requests
from core.partitions import daily_partitions, run_date
from core.resources import WarehouseResource, WorkspaceResource

PRIVACY_KEY = AssetKey(["privacy", "requests"])


@asset(
    key=PRIVACY_KEY,
    group_name="privacy",
    partitions_def=daily_partitions,
    backfill_policy=BackfillPolicy.multi_run(1),
    kinds={"python", "duckdb"},
    description=(
        "privacy.requests: every erasure, objection and retention request and when it was "
        "honoured; privacy.erased_keys: the hashed addresses of people never to be contacted "
        "again. Honouring pseudonymises the person in every table and workspace file."
    ),
)
def privacy_requests(
    context: AssetExecutionContext, workspace: WorkspaceResource, warehouse: WarehouseResource
) -> MaterializeResult:
    config = workspace.load_config()
    ws = workspace.workspace
    as_of = run_date(context)
    # honoured at the start of the run date: the run is as of that day, not of the wall clock
    at = datetime.combine(as_of, datetime.min.time())
    with warehouse.connect() as con:
        requests = read_request_files(con, ws, as_of)
        requests += retention_requests(con, config.privacy.retention_inactive_days, as_of)
        done = honour(con, ws, requests, at)
    if done.requests:
        compact_warehouse(ws.warehouse)
        context.log.info(
            f"honoured {len(done.requests)} request(s): {done.prospects} prospect(s), "
            f"{done.rows_pseudonymised} rows pseudonymised, {done.rows_erased} erased, "
            f"{len(done.files_removed) + len(done.files_rewritten)} files"
        )
    return MaterializeResult(
        metadata={
            "requests_honoured": len(done.requests),
            "prospects": done.prospects,
            "rows_pseudonymised": done.rows_pseudonymised,
            "rows_erased": done.rows_erased,
            "files_removed": len(done.files_removed),
            "files_rewritten": len(done.files_rewritten),
            "files_not_rewritten": [str(p) for p in done.files_not_rewritten],
        }
    )
