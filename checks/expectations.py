"""Great Expectations 1.x suites on raw inputs and marts, run as Dagster asset checks.

Each suite reads only the columns it needs from the warehouse into pandas (GX does not
speak DuckDB), validates them in the workspace's GX file context (`<home>/gx`), and
updates the Data Docs site in `<home>/exports/data_docs/` for analysts. The result's
statistics and each failed expectation go into the check's metadata.
"""

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetKey,
    MetadataValue,
    asset_check,
)

from core.config import Channel
from core.reference import mentionable_evidence_classes
from core.resources import WarehouseResource, WorkspaceResource

DOCS_SITE = "workspace"
PARTITION_TAG = "dagster/partition"
DOCS_DIR = Path("exports") / "data_docs"
IDENTITY_STATUSES = ["Verified", "Probable", "Unverified", "Duplicate", "Conflicting"]
PRIORITIES = ["Priority One", "Priority Two", "Priority Three", "Parked", "Rejected"]
CHANNELS = [channel.value for channel in Channel]


@dataclass(frozen=True)
class Suite:
    """An expectation suite on one table: (GX expectation class name, its arguments)."""

    asset: tuple[str, ...]
    table: str
    columns: tuple[str, ...]
    expectations: tuple[tuple[str, dict[str, Any]], ...]
    blocking: bool = False
    description: str = ""
    where: str = field(default="true")
    # an append-only raw table: validate the rows the run date brought (`_as_of`), so a
    # day's check costs what the day brought; uniqueness over the whole history is dbt's
    # `unique` test on the source
    arrivals_only: bool = False

    @property
    def name(self) -> str:
        return ".".join(self.asset)


SUITES = (
    Suite(
        asset=("raw", "leads"),
        table="raw.leads",
        columns=("lead_record_id", "source_id", "email_normalised", "phone_e164", "country"),
        expectations=(
            ("ExpectColumnValuesToBeUnique", {"column": "lead_record_id"}),
            ("ExpectColumnValuesToNotBeNull", {"column": "source_id"}),
            (
                "ExpectColumnValuesToMatchRegex",
                {"column": "email_normalised", "regex": r"^[^@\s]+@[^@\s]+\.[^@\s]+$"},
            ),
            (
                "ExpectColumnValuesToMatchRegex",
                {"column": "phone_e164", "regex": r"^\+[1-9][0-9]{6,14}$"},
            ),
            ("ExpectColumnValuesToMatchRegex", {"column": "country", "regex": r"^[A-Z]{2}$"}),
        ),
        description=(
            "Lead records the run date ingested: ids unique, a source on every row, emails, E.164 "
            "phones and ISO countries well formed."
        ),
        arrivals_only=True,
    ),
    Suite(
        asset=("raw", "suppressions"),
        table="raw.suppressions",
        columns=("suppression_record_id", "reason", "scope", "effective_at"),
        expectations=(
            ("ExpectColumnValuesToBeUnique", {"column": "suppression_record_id"}),
            ("ExpectColumnValuesToNotBeNull", {"column": "effective_at"}),
            (
                "ExpectColumnValuesToBeInSet",
                {"column": "scope", "value_set": ["global", "client", "channel"]},
            ),
        ),
        description=(
            "Suppression events the run date ingested: each once, with the time it took effect and "
            "a known scope."
        ),
        arrivals_only=True,
    ),
    Suite(
        asset=("marts", "prospects"),
        table="marts.prospects",
        columns=("prospect_id", "company_id", "identity_status", "best_priority", "source_id"),
        expectations=(
            ("ExpectTableRowCountToBeBetween", {"min_value": 1}),
            ("ExpectColumnValuesToBeUnique", {"column": "prospect_id"}),
            (
                "ExpectColumnValuesToMatchRegex",
                {"column": "prospect_id", "regex": r"^pr_[0-9a-f]{16}$"},
            ),
            ("ExpectColumnValuesToNotBeNull", {"column": "source_id"}),
            (
                "ExpectColumnValuesToBeInSet",
                {"column": "identity_status", "value_set": IDENTITY_STATUSES},
            ),
            ("ExpectColumnValuesToBeInSet", {"column": "best_priority", "value_set": PRIORITIES}),
        ),
        blocking=True,
        description=(
            "One row per prospect: ids unique and well formed, a source, an allowed identity "
            "status and priority."
        ),
    ),
    Suite(
        asset=("marts", "prospect_records"),
        table="marts.prospect_records",
        columns=("lead_record_id", "source_id", "prospect_id", "identity_status", "match_reason"),
        expectations=(
            ("ExpectColumnValuesToBeUnique", {"column": "lead_record_id"}),
            ("ExpectColumnValuesToNotBeNull", {"column": "source_id"}),
            ("ExpectColumnValuesToNotBeNull", {"column": "prospect_id"}),
            ("ExpectColumnValuesToNotBeNull", {"column": "match_reason"}),
            (
                "ExpectColumnValuesToBeInSet",
                {"column": "identity_status", "value_set": IDENTITY_STATUSES},
            ),
        ),
        blocking=True,
        description=(
            "Every lead record has a source, a prospect, an allowed identity status and a match "
            "reason."
        ),
    ),
    Suite(
        asset=("marts", "draft_candidates"),
        table="marts.draft_candidates",
        columns=(
            "prospect_id",
            "campaign_id",
            "channel",
            "priority",
            "priority_reasons",
            "identity_status",
            "evidence_id",
            "evidence_class",
            "lawful_basis",
        ),
        expectations=(
            ("ExpectCompoundColumnsToBeUnique", {"column_list": ["prospect_id", "campaign_id"]}),
            (
                "ExpectColumnValuesToBeInSet",
                {"column": "priority", "value_set": ["Priority One", "Priority Two"]},
            ),
            ("ExpectColumnValuesToNotBeNull", {"column": "priority_reasons"}),
            (
                "ExpectColumnValuesToBeInSet",
                {"column": "identity_status", "value_set": ["Verified", "Probable"]},
            ),
            ("ExpectColumnValuesToNotBeNull", {"column": "evidence_id"}),
            (
                "ExpectColumnValuesToBeInSet",
                {"column": "evidence_class", "value_set": list(mentionable_evidence_classes())},
            ),
            ("ExpectColumnValuesToNotBeNull", {"column": "lawful_basis"}),
            ("ExpectColumnValuesToBeInSet", {"column": "channel", "value_set": CHANNELS}),
        ),
        blocking=True,
        description=(
            "What may reach a draft: qualified, identity good enough, mentionable evidence, a "
            "lawful basis."
        ),
    ),
)


def repair_gx_folder(home: Path) -> list[Path]:
    """Remove what a full disk or a killed run left half-written in `<home>/gx` (a zero-byte
    or unparsable suite, checkpoint, validation or config file) and return it. All of it is
    derived: every run writes the suites, checkpoints and definitions again from SUITES,
    and GX writes a fresh config; only the history of past validations is lost."""
    import yaml

    removed = []
    for path in sorted((home / "gx").rglob("*")):
        if not path.is_file() or path.suffix not in (".json", ".yml", ".yaml"):
            continue
        try:
            text = path.read_text(encoding="utf-8")
            parsed = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
            whole = isinstance(parsed, dict)
        except (ValueError, yaml.YAMLError):
            whole = False
        if not whole:
            path.unlink()
            removed.append(path)
    return removed


def gx_context(home: Path):
    """The workspace's GX file context, its Data Docs site in `<home>/exports/data_docs/`."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    repair_gx_folder(home)
    import great_expectations as gx  # 2.5-3 s to import: only when a suite runs
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="file", project_root_dir=str(home))
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    sites = context.get_site_names()
    if DOCS_SITE not in sites:
        for site in sites:
            context.delete_data_docs_site(site)
        context.add_data_docs_site(
            DOCS_SITE,
            {
                "class_name": "SiteBuilder",
                # relative to <home>/gx, so the workspace can move
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(Path("..") / DOCS_DIR),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
    return context


def data_docs_wanted() -> bool:
    """Data Docs are rebuilt after each suite unless `OUTREACH_DATA_DOCS=0` (the test suite
    sets it: one test builds them; the validation itself always runs)."""
    return os.environ.get("OUTREACH_DATA_DOCS", "1").strip().lower() not in {
        "0",
        "false",
        "no",
        "off",
    }


# what Data Docs load from the network (CDN styles and scripts, a logo from a bucket):
# removed, so the pages work offline and tell nobody they were opened
_REMOTE = re.compile(
    r"<script[^>]*\bsrc=[\"']?(?:https?:)?//[^>]*>\s*</script>"
    r"|<(?:link|img)\b[^>]*\b(?:href|src)=[\"']?(?:https?:)?//[^>]*>",
    re.IGNORECASE,
)
# no script, no remote anything, no form or base change: a page shows, it does nothing
POLICY = (
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
    "style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'\">"
)


def offline_pages(site: Path) -> None:
    """Every Data Docs page rewritten to work offline and to run nothing."""
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if POLICY in text:
            continue
        text = _REMOTE.sub("", text)
        text = re.sub(r"<head>", "<head>\n" + POLICY, text, count=1, flags=re.IGNORECASE)
        page.write_text(text, encoding="utf-8")


def run_suite(suite: Suite, frame, home: Path) -> AssetCheckResult:
    """Validate `frame` against `suite`, update the Data Docs (unless switched off), and
    report as a check result."""
    import great_expectations as gx
    import great_expectations.expectations as gxe

    context = gx_context(home)
    source = context.data_sources.add_or_update_pandas("warehouse")
    asset = next(
        (a for a in source.assets if a.name == suite.name), None
    ) or source.add_dataframe_asset(suite.name)
    batch = next((b for b in asset.batch_definitions if b.name == "whole_table"), None)
    batch = batch or asset.add_batch_definition_whole_dataframe("whole_table")
    expectation_suite = gx.ExpectationSuite(
        name=suite.name,
        expectations=[getattr(gxe, kind)(**kwargs) for kind, kwargs in suite.expectations],
    )
    expectation_suite = context.suites.add_or_update(expectation_suite)
    validation = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=suite.name, data=batch, suite=expectation_suite)
    )
    checkpoint = context.checkpoints.add_or_update(
        gx.Checkpoint(
            name=suite.name,
            validation_definitions=[validation],
            actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs", site_names=[DOCS_SITE])]
            if data_docs_wanted()
            else [],
            # counts, never values: a failing row's values stay in the warehouse, out of the
            # Data Docs pages (a stored <script> cannot reach them) and out of Dagster's
            # event log (where an erasure cannot reach)
            result_format={"result_format": "SUMMARY", "partial_unexpected_count": 0},
        )
    )
    outcome = checkpoint.run(batch_parameters={"dataframe": frame})
    if data_docs_wanted():
        offline_pages(home / DOCS_DIR)
    [result] = outcome.run_results.values()
    failed = [
        f"{r.expectation_config.type}({_args(r.expectation_config.kwargs)}): "
        f"{r.result.get('unexpected_count', r.result.get('observed_value'))} unexpected"
        for r in result.results
        if not r.success
    ]
    stats = result.statistics
    return AssetCheckResult(
        passed=bool(outcome.success),
        severity=AssetCheckSeverity.ERROR if suite.blocking else AssetCheckSeverity.WARN,
        metadata={
            "rows": len(frame),
            "evaluated_expectations": stats["evaluated_expectations"],
            "successful_expectations": stats["successful_expectations"],
            "unsuccessful_expectations": stats["unsuccessful_expectations"],
            "failed_expectations": failed,
            "data_docs": MetadataValue.path(str(home / DOCS_DIR / "index.html")),
        },
    )


def _args(kwargs: dict[str, Any]) -> str:
    return ", ".join(
        f"{k}={v!r}"
        for k, v in kwargs.items()
        if k in ("column", "column_list", "value_set", "regex", "min_value")
    )


def suite_frame(con, suite: Suite, run_date: str | None):
    """The rows `suite` validates: the run date's arrivals for a raw table (every row when
    there is no run date), the whole table otherwise."""
    where, params = suite.where, []
    if suite.arrivals_only and run_date:
        where, params = f"({where}) and _as_of = cast(? as date)", [run_date]
    return con.sql(
        f"select {', '.join(suite.columns)} from {suite.table} where {where}", params=params
    ).df()


def gx_check(suite: Suite) -> AssetChecksDefinition:
    @asset_check(
        asset=AssetKey(list(suite.asset)),
        name="gx_suite",
        blocking=suite.blocking,
        description=f"Great Expectations suite {suite.name}: {suite.description}",
    )
    def _check(
        context: AssetCheckExecutionContext,
        warehouse: WarehouseResource,
        workspace: WorkspaceResource,
    ) -> AssetCheckResult:
        with warehouse.connect(read_only=True) as con:
            frame = suite_frame(con, suite, context.run.tags.get(PARTITION_TAG))
        return run_suite(suite, frame, workspace.workspace.home)

    return _check


gx_checks = [gx_check(suite) for suite in SUITES]
