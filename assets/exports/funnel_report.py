"""The funnel report: one self-contained HTML page (inline SVG charts, no script, a
strict Content-Security-Policy) from the funnel marts: conversion by stage, rates over
time, reply classes, the pilot gate and the deliverability monitor per campaign.
Written by the daily job (asset exports/funnel_report) and by `outreach report`."""

from datetime import date, timedelta
from pathlib import Path

import duckdb
from dagster import (
    AssetExecutionContext,
    MaterializeResult,
    MetadataValue,
)

from assets.exports.daily_export import daily_export
from assets.exports.render import render_html
from core.partitions import run_date
from core.resources import WarehouseResource, WorkspaceResource

# the conversion chart: (label, funnel_campaign column), in funnel order
STAGES = (
    ("Qualified for the campaign", "prospects_qualified"),
    ("Drafts created", "drafts_created"),
    ("Messages approved", "messages_approved"),
    ("Messages sent", "messages_sent"),
    ("Replies", "replies"),
    ("Positive replies", "positive_replies"),
    ("Qualified conversations", "qualified_conversations"),
    ("Appointments proposed", "appointment_proposals"),
    ("Bookings", "bookings"),
    ("Qualified bookings", "qualified_bookings"),
    ("Proposals", "proposals"),
    ("Won", "wins"),
)
REPLY_CLASSES = (
    ("Interested", "reply_interested"),
    ("Question", "reply_question"),
    ("Objection", "reply_objection"),
    ("Not Now", "reply_not_now"),
    ("Not A Fit", "reply_not_a_fit"),
    ("Referral", "reply_referral"),
    ("Booked", "reply_booked"),
    ("Unsubscribe", "reply_unsubscribe"),
    ("Complaint", "reply_complaint"),
    ("Out Of Office", "reply_out_of_office"),
    ("Bounce (hard)", "bounce_hard"),
    ("Bounce (soft)", "bounce_soft"),
    ("Unknown", "reply_unknown"),
)
DAYS = 30
BAR_WIDTH = 420  # px for the largest bar
PLOT = {"width": 640, "height": 200, "left": 48, "bottom": 24}


def _bars(pairs: list[tuple[str, float]]) -> list[dict]:
    top = max((v for _, v in pairs), default=0) or 1
    return [
        {"label": label, "value": value, "width": round(BAR_WIDTH * value / top, 1)}
        for label, value in pairs
    ]


def _line(values: list[float | None], top: float) -> list[tuple[float, float]]:
    """SVG points for one value per day (days without a value skipped); numbers only."""
    span = PLOT["width"] - PLOT["left"]
    step = span / max(len(values) - 1, 1)
    usable = PLOT["height"] - PLOT["bottom"]
    return [
        (round(PLOT["left"] + i * step, 1), round(usable - usable * v / top, 1))
        for i, v in enumerate(values)
        if v is not None
    ]


def report_data(con: duckdb.DuckDBPyConnection, as_of: date) -> dict:
    campaigns = con.sql("select * from marts.funnel_campaign order by campaign_id").pl()
    totals = {column: int(campaigns[column].sum() or 0) for _, column in STAGES}
    start = as_of - timedelta(days=DAYS - 1)
    daily = con.sql(
        "select funnel_day, sum(messages_sent) as sent, sum(replies) as replies, "
        "sum(hard_bounces + soft_bounces) as bounces "
        "from marts.funnel_daily where funnel_day <= ? group by funnel_day order by funnel_day",
        params=[as_of],
    ).pl()
    by_day = {r["funnel_day"]: r for r in daily.iter_rows(named=True)}
    days = [start + timedelta(days=i) for i in range(DAYS)]
    # rates to date on each day (replies arrive days after the send they answer, so a
    # day's replies over that day's sends would mislead)
    before = daily.filter(daily["funnel_day"] < start)
    sent_to_date = int(before["sent"].sum() or 0)
    replies_to_date = int(before["replies"].sum() or 0)
    bounces_to_date = int(before["bounces"].sum() or 0)
    reply_rates, bounce_rates = [], []
    for day in days:
        r = by_day.get(day)
        if r:
            sent_to_date += r["sent"]
            replies_to_date += r["replies"]
            bounces_to_date += r["bounces"]
        reply_rates.append(replies_to_date / sent_to_date if sent_to_date else None)
        bounce_rates.append(bounces_to_date / sent_to_date if sent_to_date else None)
    top_rate = max([v for v in reply_rates + bounce_rates if v is not None], default=0) or 1
    sent = [by_day[d]["sent"] if d in by_day else 0 for d in days]
    classes = dict(
        con.sql(
            "select event_type, count(*) from intermediate.int_funnel_events group by event_type"
        ).fetchall()
    )
    return {
        "as_of": as_of.isoformat(),
        "campaigns": campaigns.to_dicts(),
        "stages": _bars([(label, totals[column]) for label, column in STAGES]),
        "reply_classes": _bars([(label, classes.get(key, 0)) for label, key in REPLY_CLASSES]),
        "plot": PLOT,
        "days": [d.isoformat() for d in days],
        "reply_line": _line(reply_rates, top_rate),
        "bounce_line": _line(bounce_rates, top_rate),
        "top_rate": top_rate,
        "sent_bars": _bars([(d.isoformat(), v) for d, v in zip(days, sent, strict=True)]),
        "pilot": con.sql("select * from marts.pilot_gate order by campaign_id, check_order")
        .pl()
        .to_dicts(),
        "deliverability": con.sql("select * from marts.deliverability_monitor order by campaign_id")
        .pl()
        .to_dicts(),
        "crm": con.sql(
            "select crm_stage, count(*) as prospects from marts.crm_pipeline group by crm_stage "
            "order by prospects desc, crm_stage"
        )
        .pl()
        .to_dicts(),
    }


def learning_data(con: duckdb.DuckDBPyConnection, as_of: date) -> dict:
    def rows(query: str) -> list[dict]:
        return con.sql(query).pl().to_dicts()

    return {
        "as_of": as_of.isoformat(),
        "experiments": rows(
            "select * from marts.experiment_results order by experiment_id, arm_order"
        ),
        "versions": rows(
            "select * from marts.config_versions order by campaign_id, version_number"
        ),
        "recommendations": rows(
            "select * from marts.learning_recommendations order by campaign_id, area, signal"
        ),
    }


def write_report(con: duckdb.DuckDBPyConnection, out_dir: Path, as_of: date) -> Path:
    """funnel.html, and beside it learning.html (experiments, versions, recommendations)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "funnel.html"
    path.write_text(
        render_html("funnel_report.html.j2", title=f"Funnel {as_of}", **report_data(con, as_of)),
        encoding="utf-8",
    )
    (out_dir / "learning.html").write_text(
        render_html(
            "learning_report.html.j2", title=f"Learning {as_of}", **learning_data(con, as_of)
        ),
        encoding="utf-8",
    )
    return path


@daily_export(
    "funnel_report",
    reads=[
        "funnel_campaign",
        "funnel_daily",
        "pilot_gate",
        "deliverability_monitor",
        "crm_pipeline",
        "experiment_results",
        "config_versions",
        "learning_recommendations",
    ],
    description="""
        exports/reports/<date>/funnel.html: the funnel report (conversion by stage, reply
        and bounce rates over the last 30 days, reply classes, pilot gate and deliverability
        per campaign, CRM stages). Self-contained HTML with inline SVG, no script. Beside it
        learning.html: experiment arms with confidence intervals and verdicts, configuration
        versions with before/after figures, and recommendations for a human.
    """,
)
def funnel_report(
    context: AssetExecutionContext, workspace: WorkspaceResource, warehouse: WarehouseResource
) -> MaterializeResult:
    as_of = run_date(context)
    out_dir = workspace.workspace.exports / "reports" / context.partition_key
    with warehouse.connect(read_only=True) as con:
        path = write_report(con, out_dir, as_of)
    return MaterializeResult(metadata={"report": MetadataValue.path(str(path))})
