"""Inbound mail as a daily asset: the workspace mailbox read, stored and classified."""

from dagster import AssetExecutionContext, AssetKey, BackfillPolicy, MaterializeResult, asset

from assets.inbound.store import ingest_mailbox
from core.partitions import daily_partitions, run_date
from core.resources import WarehouseResource, WorkspaceResource


@asset(
    key=AssetKey(["inbound", "messages"]),
    group_name="inbound",
    partitions_def=daily_partitions,
    backfill_policy=BackfillPolicy.multi_run(1),
    deps=[AssetKey(["config", "lead_sources"]), AssetKey(["privacy", "requests"])],
    kinds={"python", "duckdb"},
    description=(
        "inbound.messages: every message in <home>/mailbox/ (Maildir, mbox or .eml files), "
        "stored once by content hash with its raw bytes, classified structure first (delivery "
        "status, feedback report, auto-reply, calendar reply) then by the reply's own words, "
        "threaded to the communication it answers, with the next action from the Reply Action "
        "Map. Unsubscribe, Complaint and hard Bounce land suppression events at once. "
        "Malformed mail is stored with its defects, never dropped."
    ),
)
def inbound_messages(
    context: AssetExecutionContext, workspace: WorkspaceResource, warehouse: WarehouseResource
) -> MaterializeResult:
    with warehouse.connect() as con:
        new = ingest_mailbox(
            con,
            workspace.workspace,
            workspace.load_config(),
            run_date(context),
        )
    by_class = new.group_by("reply_class").len().rows() if new.height else []
    return MaterializeResult(
        metadata={"new_messages": new.height, **{f"class {k}": v for k, v in sorted(by_class)}}
    )
