"""The dbt models, seeds and tests as Dagster assets and asset checks."""

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dagster import AssetCheckSpec, AssetExecutionContext, AssetKey, AssetSpec, BackfillPolicy
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    dbt_assets,
    get_asset_key_for_model,
)
from dagster_shared.record import replace

from assets.transform import dbt_in_process
from core.dbt_project import dbt_project
from core.partitions import daily_partitions
from core.resources import WarehouseResource
from core.schema import ensure_operational_tables


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

    def get_asset_check_spec(
        self, asset_spec: AssetSpec, manifest: Mapping[str, Any], unique_id: str, project: Any
    ) -> AssetCheckSpec | None:
        """Every dbt test as a check that says what it asserts: the test's own description
        when it has one (singular tests carry it in their opening comment's yml), else
        what its kind means for its column or columns."""
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None or spec.description:
            return spec
        test = manifest["nodes"][unique_id]
        return replace(spec, description=test.get("description") or check_meaning(test))


# what a dbt test of each kind asserts, for the check's description in the UI
TEST_MEANINGS = {
    "primary_key": "{column} is never null and never repeated",
    "unique": "{column} is never repeated",
    "not_null": "{column} is never null",
    "accepted_values": "{column} takes only its listed values",
    "relationships": "every {column} exists in the table it refers to",
    "dbt_utils_free_unique_combination": "one row per {columns}",
    "funnel_rates_are_quotients": "every rate equals its counts' quotient; shares lie in [0, 1]",
    "rows_reconcile": "every file's rows are in raw or in quarantine, as its ledger row says",
}


def check_meaning(test: Mapping[str, Any]) -> str:
    meta = test.get("test_metadata") or {}
    kind = meta.get("name")
    columns = (meta.get("kwargs") or {}).get("columns") or []
    column = test.get("column_name") or "the row"
    if kind in TEST_MEANINGS:
        return TEST_MEANINGS[kind].format(column=column, columns=" x ".join(columns))
    return f"dbt test {test['name']} ({test['original_file_path']}) returns no row"


translator = OutreachTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


# Models tagged `after_drafting` read what the drafting asset (Python) writes, so they
# are a second dbt step after it: one dbt build cannot wait for a Python asset midway.
AFTER_DRAFTING = "tag:after_drafting"


def _build(context: AssetExecutionContext, warehouse: WarehouseResource):
    as_of = context.partition_key
    # the models read what drafting, review, sending and inbound mail write: on a new
    # warehouse those tables exist, empty, before the first build
    with warehouse.connect() as con:
        ensure_operational_tables(con)
    if warehouse.is_shared:
        manifest = json.loads(dbt_project.manifest_path.read_text())
        pushed = warehouse.publish_sources(manifest)
        context.log.info(f"published {len(pushed)} source tables to {warehouse.dbt_target}")
    step = context.op_execution_context.op.name
    # unit tests test the models' logic, not the day's data: they run in the test suite
    # (tests/e2e/test_dbt_unit_tests.py), never in a production build
    yield from dbt_in_process.build(
        context,
        ["build", "--exclude-resource-type", "unit_test", *dbt_in_process.vars_arg(as_of)],
        warehouse_file=warehouse.file,
        dbt_target=warehouse.dbt_target,
        target_path=dbt_in_process.run_target(
            Path(warehouse.file).parent, context.run.run_id, step
        ),
    )
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
def outreach_dbt_models(context: AssetExecutionContext, warehouse: WarehouseResource):
    """Every dbt model, seed and test up to the draft candidates, built for the run date
    (`as_of` = the partition key)."""
    yield from _build(context, warehouse)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    dagster_dbt_translator=translator,
    select=AFTER_DRAFTING,
    name="outreach_dbt_review_models",
    partitions_def=daily_partitions,
    backfill_policy=BackfillPolicy.multi_run(1),
)
def outreach_dbt_review_models(context: AssetExecutionContext, warehouse: WarehouseResource):
    """The dbt models over drafts and decisions (approvals, the review queue), built for
    the run date after the drafting asset."""
    yield from _build(context, warehouse)


def model_key(name: str) -> AssetKey:
    """The asset key of dbt model `name`, found in the manifest through the dbt assets (the
    translator decides keys; Python never spells one)."""
    for models in (outreach_dbt_models, outreach_dbt_review_models):
        try:
            return get_asset_key_for_model([models], name)
        except Exception:  # noqa: S112 - not in this step: the other one has it
            continue
    raise KeyError(f"no dbt model named {name!r} in {dbt_project.manifest_path}")
