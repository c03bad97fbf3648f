"""Great Expectations 1.x suites on raw inputs and marts, run as Dagster asset checks.

Each suite reads only the columns it needs from the warehouse into pandas (GX does not
speak DuckDB) and hands them to the validation worker (`checks/gx_worker.py`), which
validates them in the workspace's GX file context (`<home>/gx`) and updates the Data
Docs site in `<home>/exports/data_docs/` for analysts (`checks/gx_validation.py`). The
result's statistics and each failed expectation go into the check's metadata.
"""

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

from checks.gx_validation import DOCS_DIR
from checks.gx_worker import run_validation
from core.config import Channel
from core.reference import mentionable_evidence_classes
from core.resources import WarehouseResource, WorkspaceResource

PARTITION_TAG = "dagster/partition"
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


def run_suite(suite: Suite, frame, home: Path) -> AssetCheckResult:
    """Validate `frame` against `suite` (in the validation worker, `checks/gx_worker.py`),
    have the Data Docs updated (unless switched off), and report as a check result."""
    outcome = run_validation(suite.name, suite.expectations, frame, home)
    return AssetCheckResult(
        passed=outcome.success,
        severity=AssetCheckSeverity.ERROR if suite.blocking else AssetCheckSeverity.WARN,
        metadata={
            "rows": len(frame),
            "evaluated_expectations": outcome.evaluated,
            "successful_expectations": outcome.successful,
            "unsuccessful_expectations": outcome.unsuccessful,
            "failed_expectations": list(outcome.failed),
            "data_docs": MetadataValue.path(str(home / DOCS_DIR / "index.html")),
        },
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
