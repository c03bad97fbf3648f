"""Great Expectations itself: validate a frame against one suite in the workspace's GX
file context (`<home>/gx`) and update the Data Docs site in `<home>/exports/data_docs/`.

No Dagster here: this runs in the validation worker (`checks/gx_worker.py`), a process
of its own, or in the run's process when there is no worker. Suites arrive as plain data
(a name and its expectations); results leave as plain data (`Outcome`).
"""

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DOCS_SITE = "workspace"
DOCS_DIR = Path("exports") / "data_docs"
# (GX expectation class name, its arguments)
Expectations = tuple[tuple[str, dict[str, Any]], ...]


@dataclass(frozen=True)
class Outcome:
    """What a validation found: counts and the failed expectations, never values."""

    success: bool
    evaluated: int
    successful: int
    unsuccessful: int
    failed: tuple[str, ...]
    # the stored result and its suite, for the Data Docs pages of this validation
    docs_targets: tuple[Any, ...] = ()


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


def validate(name: str, expectations: Expectations, frame, home: Path) -> Outcome:
    """Validate `frame` against the suite `name`; the result is stored in the GX context
    (its Data Docs pages are `update_docs`'s work)."""
    import great_expectations as gx
    import great_expectations.expectations as gxe

    context = gx_context(home)
    source = context.data_sources.add_or_update_pandas("warehouse")
    asset = next((a for a in source.assets if a.name == name), None) or (
        source.add_dataframe_asset(name)
    )
    batch = next((b for b in asset.batch_definitions if b.name == "whole_table"), None)
    batch = batch or asset.add_batch_definition_whole_dataframe("whole_table")
    suite = context.suites.add_or_update(
        gx.ExpectationSuite(
            name=name,
            expectations=[getattr(gxe, kind)(**kwargs) for kind, kwargs in expectations],
        )
    )
    validation = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=name, data=batch, suite=suite)
    )
    checkpoint = context.checkpoints.add_or_update(
        gx.Checkpoint(
            name=name,
            validation_definitions=[validation],
            actions=[],
            # counts, never values: a failing row's values stay in the warehouse, out of the
            # Data Docs pages (a stored <script> cannot reach them) and out of Dagster's
            # event log (where an erasure cannot reach)
            result_format={"result_format": "SUMMARY", "partial_unexpected_count": 0},
        )
    )
    outcome = checkpoint.run(batch_parameters={"dataframe": frame})
    [(key, result)] = outcome.run_results.items()
    stats = result.statistics
    return Outcome(
        success=bool(outcome.success),
        evaluated=stats["evaluated_expectations"],
        successful=stats["successful_expectations"],
        unsuccessful=stats["unsuccessful_expectations"],
        failed=tuple(
            f"{r.expectation_config.type}({_args(r.expectation_config.kwargs)}): "
            f"{r.result.get('unexpected_count', r.result.get('observed_value'))} unexpected"
            for r in result.results
            if not r.success
        ),
        docs_targets=(key, key.expectation_suite_identifier),
    )


def update_docs(home: Path, targets: tuple[Any, ...]) -> None:
    """The Data Docs pages of one validation and the site's index, rewritten to work
    offline and run nothing."""
    gx_context(home).build_data_docs(site_names=[DOCS_SITE], resource_identifiers=list(targets))
    offline_pages(home / DOCS_DIR)


def _args(kwargs: dict[str, Any]) -> str:
    return ", ".join(
        f"{k}={v!r}"
        for k, v in kwargs.items()
        if k in ("column", "column_list", "value_set", "regex", "min_value")
    )
