"""The review queue as files a reviewer works: XLSX (decision dropdown in column B,
sort and filter), CSV, and an HTML page per campaign queue with the evidence beside each
message. Safe to open: spreadsheet cells can never run as formulas, HTML is escaped, and
only the personal data a reviewer needs is exported (name, role, company, recipient)."""

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl
import xlsxwriter
from dagster import (
    AssetExecutionContext,
    MaterializeResult,
    MetadataValue,
)

from assets.exports.daily_export import daily_export
from assets.exports.render import render_html
from assets.exports.spreadsheet_safety import neutralise
from core.normalise import visible
from core.resources import WarehouseResource, WorkspaceResource

DECISIONS = (
    "Approve",
    "Edit And Approve",
    "Reject",
    "Request More Research",
    "Change Channel",
    "Change CTA",
    "Park",
    "Suppress",
    "Route To Sales Owner",
)
# what the reviewer reads (no phone, no city, no raw source rows)
CONTEXT_COLUMNS = (
    "review_token",
    "campaign_id",
    "channel",
    "delivery",
    "send_authority",
    "step",
    "message_type",
    "prospect_name",
    "role",
    "company_name",
    "source_id",
    "identity_status",
    "priority",
    "priority_reasons",
    "permission_type",
    "lawful_basis",
    "evidence_id",
    "evidence_class",
    "evidence_observation",
    "evidence_source_url",
    "evidence_source_on",
    "claim_risk",
    "lint_passed",
    "lint_failures",
    "drafted_by",
    "model_fallback_reason",
    "recipient",
    "subject",
    "body",
    "previous_messages",
    "reply_state",
    "recommended_action",
)
# what only the HTML page shows: a model draft's sentences and what each rests on
PAGE_COLUMNS = ("sentence_sources",)
REVIEWER_COLUMNS = ("decision", "reviewer", "edited_subject", "edited_body", "notes")


# the tasks beside the queue, each a sheet of the workbook and a CSV: a task per human
# reply (who has it, by when, what the person wrote) and a research task per live signal
# (what it says, until when, what must not be assumed). Only the personal data the person
# doing the task needs: a name, a company and, for a reply, the address it came from.
TASK_SHEETS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "reply_tasks": (
        (
            "task_id",
            "routed_to",
            "due_at",
            "is_overdue",
            "risk",
            "reply_class",
            "confidence",
            "second_opinion",
            "is_doubtful",
            "prospect_name",
            "company_name",
            "sender",
            "campaign_id",
            "reply_subject",
            "reply_text",
            "referred_contact",
            "recommended_action",
            "thread_subject",
            "received_at",
        ),
        "due_at, task_id",
        "reply_text",
    ),
    "research_tasks": (
        (
            "task_id",
            "expires_on",
            "prospect_name",
            "company_name",
            "signal_type",
            "signal_text",
            "source_url",
            "observed_on",
            "offer_id",
            "priority",
            "relevance",
            "permission_context",
            "recommended_action",
            "must_not_assume",
        ),
        "expires_on, task_id",
        "signal_text",
    ),
}


@dataclass(frozen=True)
class ExportedQueue:
    xlsx: Path
    csv: Path
    html: list[Path]
    rows: int
    tasks: dict[str, int] = field(default_factory=dict)


def read_queue(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return con.sql(
        f"select {', '.join(CONTEXT_COLUMNS + PAGE_COLUMNS)} from marts.review_queue "
        f"order by campaign_id, "
        f"priority, review_token"
    ).pl()


def _cell(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, bool | int | float):
        return value
    return neutralise(visible(str(value)))


def read_readiness(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Each campaign's Launch Readiness Checklist (empty before the marts exist)."""
    try:
        return con.sql(
            "select campaign_id, item_order, item, passed, reason from marts.launch_readiness "
            "order by campaign_id, item_order"
        ).pl()
    except duckdb.CatalogException:
        return pl.DataFrame()


def read_tasks(con: duckdb.DuckDBPyConnection, name: str) -> pl.DataFrame:
    """One kind of task (marts.<name>), the most urgent first (empty before it exists)."""
    columns, order, _ = TASK_SHEETS[name]
    try:
        return con.sql(f"select {', '.join(columns)} from marts.{name} order by {order}").pl()
    except duckdb.CatalogException:
        return pl.DataFrame(schema=dict.fromkeys(columns, pl.String))


def _task_rows(tasks: pl.DataFrame) -> list[list[object]]:
    return [[_cell(v) for v in row] for row in tasks.iter_rows()]


class _Styles:
    """The workbook's cell formats, made once (one per kind of cell, never one per cell)."""

    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self.bold = workbook.add_format({"bold": True})
        self.top = workbook.add_format({"valign": "top"})
        self.wrapped = workbook.add_format({"valign": "top", "text_wrap": True})
        tint = {"bg_color": "#FFF6E0", "pattern": 1}
        self.editable = workbook.add_format({"valign": "top", **tint})
        self.editable_wrapped = workbook.add_format({"valign": "top", "text_wrap": True, **tint})


def _write_cell(sheet, row: int, column: int, value: object, style) -> None:
    """A value as what it is: text always as text (never a formula, number or link), its
    line breaks the spreadsheet's own (a line feed; XML keeps a bare carriage return as a
    character of its own)."""
    if value is None:
        sheet.write_blank(row, column, None, style)
    elif isinstance(value, bool):
        sheet.write_boolean(row, column, value, style)
    elif isinstance(value, int | float):
        sheet.write_number(row, column, value, style)
    else:
        sheet.write_string(row, column, value.replace("\r\n", "\n").replace("\r", "\n"), style)


def _write_task_sheet(
    workbook: xlsxwriter.Workbook, styles: _Styles, name: str, rows: list[list[object]]
) -> None:
    """A sheet of tasks, read by people and never imported."""
    columns, _, wrapped = TASK_SHEETS[name]
    sheet = workbook.add_worksheet(name)
    at = columns.index(wrapped)
    sheet.set_column(at, at, 60)
    sheet.write_row(0, 0, columns, styles.bold)
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values):
            _write_cell(sheet, r, c, value, styles.wrapped if c == at else styles.top)
    sheet.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
    sheet.freeze_panes(1, 1)


# the sheet in the order a reviewer works: the token, the decision and who made it, the
# message and its edits, then the context (the CSV keeps the same order)
LEADING_COLUMNS = (
    "review_token",
    "decision",
    "reviewer",
    "prospect_name",
    "company_name",
    "subject",
    "body",
    "edited_subject",
    "edited_body",
    "notes",
    "evidence_observation",
    "evidence_class",
    "lint_failures",
)
SHEET_COLUMNS = (
    *LEADING_COLUMNS,
    *(c for c in (*CONTEXT_COLUMNS, *REVIEWER_COLUMNS) if c not in LEADING_COLUMNS),
)
WRAPPED = ("body", "edited_body", "priority_reasons", "evidence_observation", "lint_failures")
WIDTHS = {"body": 70, "edited_body": 50, "subject": 36, "edited_subject": 30, "notes": 28}
WIDTHS |= {"evidence_observation": 36, "lint_failures": 28, "priority_reasons": 28}
WIDTHS |= {"decision": 22, "review_token": 18}
LINE_HEIGHT = 15  # points, one line of the default font


def _sheet_rows(queue: pl.DataFrame) -> list[list[object]]:
    return [
        [_cell(row.get(c)) if c in queue.columns else None for c in SHEET_COLUMNS]
        for row in queue.iter_rows(named=True)
    ]


def _lines(name: str, value: object) -> int:
    """How many lines a wrapped cell needs at its column's width."""
    if name not in WRAPPED or not isinstance(value, str):
        return 1
    width = WIDTHS.get(name, 16)
    return sum(len(p) // width + 1 for p in value.split("\n"))


def write_xlsx(
    queue: pl.DataFrame,
    path: Path,
    readiness: pl.DataFrame | None = None,
    tasks: dict[str, list[list[object]]] | None = None,
) -> None:
    """The queue a reviewer opens, and the tasks beside it (each kind's rows as `_task_rows`
    makes them): the decision in column B beside the token, the message
    wrapped in rows tall enough to read it, sort and filter on every column (the import
    reads only the token and the reviewer columns, so nothing a reviewer moves or sorts
    changes what is decided), the reviewer columns tinted and the decision a dropdown.
    Written by XlsxWriter row by row (`constant_memory`: a row leaves memory once written),
    every string as a string: nothing in a cell is ever read as a formula, number or link."""
    workbook = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    styles = _Styles(workbook)
    style_of = [
        (styles.editable_wrapped if name in WRAPPED else styles.editable)
        if name in REVIEWER_COLUMNS
        else (styles.wrapped if name in WRAPPED else styles.top)
        for name in SHEET_COLUMNS
    ]
    sheet = workbook.add_worksheet("review_queue")
    for index, name in enumerate(SHEET_COLUMNS):
        sheet.set_column(index, index, WIDTHS.get(name, 16))
    sheet.write_row(0, 0, SHEET_COLUMNS, styles.bold)
    rows = _sheet_rows(queue)
    for r, values in enumerate(rows, start=1):
        lines = max(_lines(name, v) for name, v in zip(SHEET_COLUMNS, values, strict=True))
        sheet.set_row(r, min(409, LINE_HEIGHT * lines))
        for c, value in enumerate(values):
            _write_cell(sheet, r, c, value, style_of[c])
    last = max(len(rows) + 1, 2)
    decision = SHEET_COLUMNS.index("decision")
    sheet.data_validation(
        1,
        decision,
        last + 499,
        decision,
        {
            "validate": "list",
            "source": list(DECISIONS),
            "ignore_blank": True,
            "error_title": "Not a decision",
            "error_message": "Choose one of the framework's decisions from the list.",
        },
    )
    sheet.autofilter(0, 0, max(len(rows), 1), len(SHEET_COLUMNS) - 1)
    sheet.freeze_panes(1, 2)
    if readiness is not None and readiness.height:
        # a second sheet, so the queue stays the sheet a returned file is read from
        ready = workbook.add_worksheet("launch_readiness")
        ready.write_row(0, 0, ["campaign_id", "item", "passed", "reason"])
        for r, item in enumerate(readiness.iter_rows(named=True), start=1):
            values = [
                _cell(item["campaign_id"]),
                _cell(item["item"]),
                "pass" if item["passed"] else "FAIL",
                _cell(item["reason"]),
            ]
            for c, value in enumerate(values):
                _write_cell(ready, r, c, value, None)
    for name, rows in (tasks or {}).items():
        _write_task_sheet(workbook, styles, name, rows)
    workbook.close()


def _write_csv(path: Path, header: tuple[str, ...], rows: list[list[object]]) -> None:
    """Every value quoted, an empty cell for a missing one (values already made safe)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        writer.writerow(header)
        writer.writerows(["" if v is None else v for v in values] for values in rows)


def write_csv(queue: pl.DataFrame, path: Path) -> None:
    _write_csv(path, SHEET_COLUMNS, _sheet_rows(queue))


def with_grounding(row: dict) -> dict:
    """A model draft's sentences, each with the ground it rests on, for the page."""
    text = row.get("sentence_sources")
    return row | {"grounding": json.loads(text) if text else []}


def write_html(
    queue: pl.DataFrame, folder: Path, as_of: str, readiness: pl.DataFrame | None = None
) -> list[Path]:
    paths = []
    for (campaign_id,), rows in sorted(queue.partition_by("campaign_id", as_dict=True).items()):
        items = (
            readiness.filter(pl.col("campaign_id") == campaign_id).to_dicts()
            if readiness is not None and readiness.height
            else []
        )
        path = folder / f"{campaign_id}.html"
        path.write_text(
            render_html(
                "review_queue.html.j2",
                title=f"Review queue {campaign_id} {as_of}",
                campaign_id=campaign_id,
                as_of=as_of,
                send_authority=rows["send_authority"][0],
                readiness=items,
                failing=[i for i in items if not i["passed"]],
                rows=[with_grounding(r) for r in rows.to_dicts()],
            ),
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def export_queue(con: duckdb.DuckDBPyConnection, exports: Path, as_of: str) -> ExportedQueue:
    """Write `exports/review/<as_of>/review_queue.{xlsx,csv}` and `<campaign_id>.html`."""
    folder = exports / "review" / as_of
    folder.mkdir(parents=True, exist_ok=True)
    queue = read_queue(con)
    readiness = read_readiness(con)
    tasks = {name: read_tasks(con, name) for name in TASK_SHEETS}
    xlsx, csv_path = folder / "review_queue.xlsx", folder / "review_queue.csv"
    # each task made safe once, for both the workbook and the CSV
    task_rows = {name: _task_rows(frame) for name, frame in tasks.items()}
    write_xlsx(queue, xlsx, readiness, task_rows)
    write_csv(queue, csv_path)
    for name, rows in task_rows.items():
        _write_csv(folder / f"{name}.csv", TASK_SHEETS[name][0], rows)
    html = write_html(queue, folder, as_of, readiness) if queue.height else []
    return ExportedQueue(
        xlsx, csv_path, html, queue.height, {name: f.height for name, f in tasks.items()}
    )


@daily_export(
    "review_queue",
    reads=["review_queue", "launch_readiness", "reply_tasks", "research_tasks"],
    description="""
        exports/review/<date>/: the review queue as review_queue.xlsx (the decision a
        dropdown in column B, the reviewer columns tinted, sort and filter on),
        review_queue.csv, and one HTML page per campaign with the evidence beside each
        message; every human reply's task (who has it, by when, what the person wrote) in
        the reply_tasks sheet and reply_tasks.csv, and every live signal's research task in
        the research_tasks sheet and research_tasks.csv. Formula-safe and HTML-escaped;
        only the personal data a reviewer needs.
    """,
    kinds=("python", "xlsx", "csv", "html"),
)
def review_queue_files(
    context: AssetExecutionContext, workspace: WorkspaceResource, warehouse: WarehouseResource
) -> MaterializeResult:
    with warehouse.connect(read_only=True) as con:
        out = export_queue(con, workspace.workspace.exports, context.partition_key)
    return MaterializeResult(
        metadata={
            "rows": out.rows,
            "xlsx": MetadataValue.path(str(out.xlsx)),
            "csv": MetadataValue.path(str(out.csv)),
            "html_pages": len(out.html),
            **out.tasks,
        }
    )
