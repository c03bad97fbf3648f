"""Sales handoff briefs: one HTML page per prospect ready for a human (a reply, a
proposed or booked appointment), with the framework's Sales Handoff Standard fields,
the messages sent and the replies, so the sales owner need not reconstruct the history."""

from pathlib import Path

import duckdb
from dagster import (
    AssetExecutionContext,
    MaterializeResult,
    MetadataValue,
)

from assets.exports.daily_export import daily_export
from assets.exports.render import render_html
from core.resources import WarehouseResource, WorkspaceResource

READY = "select prospect_id from marts.sales_handoffs"


def write_handoffs(con: duckdb.DuckDBPyConnection, out_dir: Path, as_of: str) -> list[Path]:
    """Write `<prospect_id>.html` per prospect in marts.sales_handoffs, and an index."""
    handoffs = con.sql("select * from marts.sales_handoffs order by prospect_id, campaign_id").pl()
    sent = con.sql(
        "select prospect_id, campaign_id, step, message_type, cast(sent_at as date) as sent_on "
        f"from send.records where sent_status = 'sent' and prospect_id in ({READY}) "
        "order by prospect_id, sent_at"
    ).pl()
    replies = con.sql(
        "select prospect_id, received_on, reply_class, subject, reply_text, next_action "
        f"from inbound.messages where prospect_id in ({READY}) and received_on <= cast(? as date) "
        "order by prospect_id, received_on",
        params=[as_of],
    ).pl()
    out_dir.mkdir(parents=True, exist_ok=True)
    sent_by = sent.partition_by("prospect_id", as_dict=True) if sent.height else {}
    replies_by = replies.partition_by("prospect_id", as_dict=True) if replies.height else {}
    written, index = [], []
    for (prospect_id,), rows in (
        handoffs.partition_by("prospect_id", as_dict=True).items() if handoffs.height else []
    ):
        path = out_dir / f"{prospect_id}.html"
        campaigns = rows.to_dicts()
        path.write_text(
            render_html(
                "handoff.html.j2",
                title=f"Handoff {prospect_id}",
                as_of=as_of,
                h=campaigns[0],
                campaigns=campaigns,
                sent=sent_by[(prospect_id,)].to_dicts() if (prospect_id,) in sent_by else [],
                replies=replies_by[(prospect_id,)].to_dicts()
                if (prospect_id,) in replies_by
                else [],
            ),
            encoding="utf-8",
        )
        written.append(path)
        index.append(campaigns[0] | {"file": path.name})
    (out_dir / "index.html").write_text(
        render_html(
            "handoff_index.html.j2",
            title=f"Sales handoffs {as_of}",
            as_of=as_of,
            handoffs=sorted(index, key=lambda h: (str(h["deadline"]), h["prospect_id"])),
        ),
        encoding="utf-8",
    )
    return written


@daily_export(
    "sales_handoffs",
    reads=["sales_handoffs"],
    description="""
        exports/handoff/<date>/: a Sales Handoff brief per prospect ready for a human (HTML,
        every value escaped): prospect, company, source, relationship, qualification,
        verified context, personalisation used, messages sent, replies, questions,
        objections, offer, appointment, risks, recommended next action and deadline; and an
        index ordered by deadline.
    """,
)
def sales_handoff_briefs(
    context: AssetExecutionContext, workspace: WorkspaceResource, warehouse: WarehouseResource
) -> MaterializeResult:
    out_dir = workspace.workspace.exports / "handoff" / context.partition_key
    with warehouse.connect(read_only=True) as con:
        written = write_handoffs(con, out_dir, context.partition_key)
    return MaterializeResult(
        metadata={
            "handoffs": len(written),
            "index": MetadataValue.path(str(out_dir / "index.html")),
        }
    )
