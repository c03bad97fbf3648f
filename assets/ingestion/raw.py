"""One ingestion asset per landing folder: files -> raw.<kind> or quarantine."""

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    AssetSpec,
    BackfillPolicy,
    MaterializeResult,
    MetadataValue,
    asset,
)

from assets.ingestion.ingest import ingest_kind, summary
from assets.ingestion.landing_schemas import SCHEMAS
from core.partitions import as_of_of, daily_partitions
from core.resources import WarehouseResource, WorkspaceResource


def raw_asset(kind: str) -> AssetsDefinition:
    schema = SCHEMAS[kind]

    @asset(
        key=AssetKey(["raw", kind]),
        group_name="ingestion",
        partitions_def=daily_partitions,
        backfill_policy=BackfillPolicy.multi_run(1),
        # suppressions that inbound mail creates are ingested before the day's file intake
        # requests are honoured first, so a forgotten person's rows are kept out today
        deps=[AssetKey(["config", "lead_sources"]), AssetKey(["privacy", "requests"])]
        + ([AssetKey(["inbound", "messages"])] if kind == "suppressions" else []),
        kinds={"python", "duckdb"},
        description=(
            f"raw.{kind}: every row of the files in landing/{kind}/ (CSV, JSON lines or Parquet), "
            f"normalised and with lineage, or in raw.quarantine with a reason. Columns: "
            f"{', '.join(schema.columns)}; others are kept in `extra`. A file already "
            "ingested (same sha256) is skipped, so re-running a day adds nothing."
        ),
    )
    def _ingest(
        context: AssetExecutionContext, workspace: WorkspaceResource, warehouse: WarehouseResource
    ) -> MaterializeResult:
        config = workspace.load_config()
        ws = workspace.workspace
        as_of = as_of_of(context.partition_key)
        batch_id = f"{context.partition_key}-{context.run_id[:8]}"
        with warehouse.connect() as con:
            results = ingest_kind(con, kind, ws.landing(kind), ws.home, as_of, config, batch_id)
        totals = summary(results)
        for result in results:
            context.log.info(
                f"{result.source_file}: {result.rows_in} rows in, {result.rows_raw} raw, "
                f"{result.rows_quarantined} quarantined ({result.status})"
            )
        table = "\n".join(
            f"| {r.source_file} | {r.status} | {r.rows_in} | {r.rows_raw} | {r.rows_quarantined} |"
            for r in results
        )
        return MaterializeResult(
            metadata={
                **totals,
                "files_this_run": MetadataValue.md(
                    "| file | status | in | raw | quarantined |\n|---|---|---|---|---|\n" + table
                    if results
                    else "no new files"
                ),
            }
        )

    return _ingest


raw_leads = raw_asset("leads")
raw_intelligence = raw_asset("intelligence")
raw_signals = raw_asset("signals")
raw_suppressions = raw_asset("suppressions")
raw_events = raw_asset("events")

# Written by every ingestion asset above, in the same transaction as the rows.
ingestion_bookkeeping = [
    AssetSpec(
        AssetKey(["raw", "file_ledger"]),
        group_name="ingestion",
        description=(
            "raw.file_ledger: one row per landing file ingested (kind, sha256, row counts)."
        ),
    ),
    AssetSpec(
        AssetKey(["raw", "quarantine"]),
        group_name="ingestion",
        description="raw.quarantine: one row per rejected landing row, its reason and original.",
    ),
]
