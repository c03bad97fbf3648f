"""The dbt models, seeds and tests as Dagster assets and asset checks."""

import json
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dagster import AssetExecutionContext, AssetKey, AssetSpec, BackfillPolicy
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)

from assets.operational_tables import ensure_operational_tables
from dagster_project.dbt_project import DBT_PROJECT_DIR, dbt_project
from dagster_project.partitions import daily_partitions
from dagster_project.resources import WarehouseResource


class OutreachTranslator(DagsterDbtTranslator):
    """Keys and groups from where a node lives, never from lists of names.

    A source `raw.leads` is the asset `raw/leads` the ingestion asset writes, so the
    graph is one graph; a model's key is `<folder>/<model>` and its group the folder.
    """

    def get_asset_spec(
        self, manifest: Mapping[str, Any], unique_id: str, project: Any
    ) -> AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        if props["resource_type"] == "source":
            # ledger and quarantine are written by every ingestion asset: shown in their group
            return spec.replace_attributes(
                key=AssetKey([props["source_name"], props["name"]]), group_name="ingestion"
            )
        folder = props["fqn"][1] if len(props["fqn"]) > 2 else "reference"
        return spec.replace_attributes(key=AssetKey([folder, props["name"]]), group_name=folder)


translator = OutreachTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


PARTIAL_PARSE = "partial_parse.msgpack"

# Models tagged `after_drafting` read what the drafting asset (Python) writes, so they
# are a second dbt step after it: one dbt build cannot wait for a Python asset midway.
AFTER_DRAFTING = "tag:after_drafting"


def _target_path(context: AssetExecutionContext) -> Path:
    """dbt's target folder for this step: `target/run-<run id>/<step>`. A later dbt step of
    the same run starts from the partial-parse file of an earlier one (same vars, same
    profile), so only the first step of a run parses the whole project (~2 s each)."""
    run_dir = DBT_PROJECT_DIR / "target" / f"run-{context.run.run_id[:8]}"
    target = run_dir / context.op_execution_context.op.name
    parsed = target / PARTIAL_PARSE
    earlier = next(iter(sorted(run_dir.glob(f"*/{PARTIAL_PARSE}"))), None)
    if earlier is not None and not parsed.exists():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(earlier, parsed)
    return target


def _build(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    as_of = context.partition_key
    # the models read what drafting, review, sending and inbound mail write: on a new
    # warehouse those tables exist, empty, before the first build
    with warehouse.connect() as con:
        ensure_operational_tables(con)
    if warehouse.is_shared:
        manifest = json.loads(dbt_project.manifest_path.read_text())
        pushed = warehouse.publish_sources(manifest)
        context.log.info(f"published {len(pushed)} source tables to {warehouse.dbt_target}")
    yield from dbt.cli(
        ["build", "--vars", json.dumps({"as_of": as_of})],
        context=context,
        target_path=_target_path(context),
    ).stream()
    if warehouse.is_shared:
        pulled = warehouse.collect_models(manifest)
        context.log.info(f"copied {len(pulled)} relations back from {warehouse.dbt_target}")


@dbt_assets(
    manifest=dbt_project.manifest_path,
    dagster_dbt_translator=translator,
    exclude=AFTER_DRAFTING,
    partitions_def=daily_partitions,
    # one run per day: every model is built as of exactly one date
    backfill_policy=BackfillPolicy.multi_run(1),
)
def outreach_dbt_models(
    context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
):
    """Every dbt model, seed and test up to the draft candidates, built for the run date
    (`as_of` = the partition key)."""
    yield from _build(context, dbt, warehouse)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    dagster_dbt_translator=translator,
    select=AFTER_DRAFTING,
    name="outreach_dbt_review_models",
    partitions_def=daily_partitions,
    backfill_policy=BackfillPolicy.multi_run(1),
)
def outreach_dbt_review_models(
    context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
):
    """The dbt models over drafts and decisions (approvals, the review queue), built for
    the run date after the drafting asset."""
    yield from _build(context, dbt, warehouse)
