"""Prospect Intelligence Briefs: one HTML page per prospect in the review queue, facts
apart from inference. Made before important outreach, for the reviewer: not for every
candidate in the warehouse."""

from pathlib import Path

import duckdb
import polars as pl
from dagster import (
    AssetExecutionContext,
    MaterializeResult,
    MetadataValue,
)

from assets.exports.daily_export import daily_export
from assets.exports.render import render_html
from core.resources import WarehouseResource, WorkspaceResource

# (heading, evidence classes, is inference): the framework's brief sections
SECTIONS = (
    ("Verified facts", ("Verified Fact",), False),
    ("Public observations", ("Public Observation",), False),
    ("Possible problems (derived signals and estimates)", ("Derived Signal", "Estimate"), True),
    ("Unverified inferences", ("AI Inference", "Unverified Claim"), True),
)


IN_QUEUE = "select prospect_id from marts.review_queue"


def write_briefs(con, out_dir: Path, as_of: str) -> list[Path]:
    """Write `<prospect_id>.html` for every prospect in the review queue, and an index."""
    candidates = con.sql(
        f"select * from marts.draft_candidates where prospect_id in ({IN_QUEUE}) order by "
        f"prospect_id, campaign_id"
    ).pl()
    prospects = con.sql(f"select * from marts.prospects where prospect_id in ({IN_QUEUE})").pl()
    evidence = con.sql(
        "select * from marts.prospect_evidence "
        f"where prospect_id in ({IN_QUEUE}) "
        "order by prospect_id, source_on desc, evidence_id"
    ).pl()
    try:
        signals = con.sql(
            "select * from marts.research_tasks "
            f"where prospect_id in ({IN_QUEUE}) and signal_type <> 'referral' "
            "order by prospect_id, expires_on, task_id"
        ).pl()
    except duckdb.CatalogException:  # a warehouse from before research tasks
        signals = pl.DataFrame(schema={"prospect_id": pl.String})
    signals_by = signals.partition_by("prospect_id", as_dict=True) if signals.height else {}
    out_dir.mkdir(parents=True, exist_ok=True)
    by_prospect = evidence.partition_by("prospect_id", as_dict=True) if evidence.height else {}
    offers = candidates.partition_by("prospect_id", as_dict=True)
    written, index = [], []
    for p in prospects.sort("prospect_id").iter_rows(named=True):
        rows = by_prospect.get((p["prospect_id"],), evidence.clear())
        sections = [
            (title, rows.filter(pl.col("evidence_class").is_in(classes)).to_dicts(), inference)
            for title, classes, inference in SECTIONS
        ]
        path = out_dir / f"{p['prospect_id']}.html"
        path.write_text(
            render_html(
                "brief.html.j2",
                title=f"Brief {p['prospect_id']}",
                as_of=as_of,
                p=p,
                # a prospect queued only for a response to their reply is no candidate
                candidates=offers.get((p["prospect_id"],), candidates.clear()).to_dicts(),
                sections=sections,
                signals=signals_by[(p["prospect_id"],)].to_dicts()
                if (p["prospect_id"],) in signals_by
                else [],
            ),
            encoding="utf-8",
        )
        written.append(path)
        index.append(p | {"file": path.name})
    (out_dir / "index.html").write_text(
        render_html("brief_index.html.j2", title=f"Briefs {as_of}", as_of=as_of, briefs=index),
        encoding="utf-8",
    )
    return written


@daily_export(
    "prospect_briefs",
    reads=["draft_candidates", "prospects", "prospect_evidence", "review_queue", "research_tasks"],
    description="""
        exports/briefs/<date>/: a Prospect Intelligence Brief per prospect in the review
        queue (HTML, every value escaped), with verified facts and public observations apart
        from derived signals and unverified inferences, and an index.html. An internal sales
        aid.
    """,
)
def prospect_briefs(
    context: AssetExecutionContext, workspace: WorkspaceResource, warehouse: WarehouseResource
) -> MaterializeResult:
    out_dir = workspace.workspace.exports / "briefs" / context.partition_key
    with warehouse.connect(read_only=True) as con:
        written = write_briefs(con, out_dir, context.partition_key)
    return MaterializeResult(
        metadata={
            "briefs": len(written),
            "index": MetadataValue.path(str(out_dir / "index.html")),
        }
    )
