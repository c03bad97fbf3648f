"""The one Definitions object of the code location."""

from __future__ import annotations

from dagster import (
    AssetKey,
    AssetSelection,
    Definitions,
    build_schedule_from_partitioned_job,
    colored_console_logger,
    define_asset_job,
    in_process_executor,
    load_asset_checks_from_package_module,
    load_assets_from_package_module,
)

import assets
import checks
from assets.ingestion.raw import ingestion_bookkeeping
from assets.review.store import review_bookkeeping
from core.partitions import daily_partitions
from core.resources import WarehouseResource, WorkspaceResource
from dagster_project.progress import progress_logger
from dagster_project.review_jobs import decisions_sensor, import_decisions_job
from dagster_project.sending.job import send_job
from dagster_project.sending.ledger import ledger_assets

python_assets = load_assets_from_package_module(assets)
python_checks = load_asset_checks_from_package_module(checks)

# DuckDB has one writer: the daily job runs in process, one step at a time (a
# subprocess per step would also cost ~4 s of imports each here).
daily_job = define_asset_job(
    name="daily_job",
    selection=AssetSelection.all(),
    partitions_def=daily_partitions,
    executor_def=in_process_executor,
    description="The whole daily pipeline for one run date: ingest, dbt build, checks.",
)

# The narrow path for inbound leads (a web form's answers should not wait for tomorrow):
# everything the review queue needs and nothing else: ingestion of every landing kind
# (suppressions and permissions included: they still decide), the models drafting reads,
# drafting, the review models and the review export, with their checks. No briefs,
# reports, handoffs, funnel or learning marts, read copy.
inbound_leads_job = define_asset_job(
    name="inbound_leads_job",
    selection=AssetSelection.keys(AssetKey(["exports", "review_queue"]))
    .upstream()
    .required_multi_asset_neighbors(),
    partitions_def=daily_partitions,
    executor_def=in_process_executor,
    description="Draft for new inbound leads now: what the review queue needs, nothing more.",
)

daily_schedule = build_schedule_from_partitioned_job(daily_job, hour_of_day=6, minute_of_hour=0)

defs = Definitions(
    assets=[
        *python_assets,
        *ingestion_bookkeeping,
        *review_bookkeeping,
        *ledger_assets(),
    ],
    asset_checks=python_checks,
    jobs=[daily_job, inbound_leads_job, import_decisions_job, send_job],
    sensors=[decisions_sensor],
    schedules=[daily_schedule],
    resources={
        # both from the environment when used: OUTREACH_HOME alone is enough (the warehouse
        # is <home>/warehouse.duckdb unless OUTREACH_WAREHOUSE says otherwise)
        "warehouse": WarehouseResource(),
        "workspace": WorkspaceResource(),
    },
    loggers={"console": colored_console_logger, "progress": progress_logger},
)
