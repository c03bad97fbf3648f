"""Decision files edited by hand in every wrong way, and hostile prospect fields pushed
through drafting, the review exports and the send job: refused with reasons, or inert."""

import csv
import shutil
import zipfile

import pytest
from openpyxl import load_workbook

from assets.exports.spreadsheet_safety import TRIGGERS
from core.normalise import HIDDEN
from dagster_project.cli import main
from tests.adversarial.corpus import PAYLOADS, csv_bytes, good
from tests.browser import scripts_ran
from tests.conftest import copy_of
from tests.review_and_send import approve
from tests.warehouse import warehouse_sql as sql

pytestmark = pytest.mark.e2e

AS_OF = "2026-11-24"
COLUMNS = ["review_token", "decision", "reviewer", "edited_subject", "edited_body", "notes"]


@pytest.fixture(scope="module")
def hostile(built_demo, tmp_path_factory):
    """A demo workspace plus a lead file whose people carry the payloads in every text field,
    at companies that have evidence, so they become candidates and reach the exports."""
    home = copy_of(built_demo, tmp_path_factory.mktemp("hostile") / "ws")
    domains = sql(
        home,
        "select distinct company_domain from marts.draft_candidates join marts.prospects using "
        "(prospect_id) where campaign_id = 'diag_uk_email_pilot' order by 1 limit 30",
    )["company_domain"].to_list()
    rows = [
        good(
            500 + i,
            source_id="crm_export",
            email=f"payload{i}@{domains[i % len(domains)]}",
            company_website=domains[i % len(domains)],
            first_name=p,
            last_name=p,
            company_name=p,
            city=p,
            role="Owner",
            country="GB",
            phone="",
        )
        for i, p in enumerate(PAYLOADS)
    ]
    (home / "landing" / "leads" / "payloads.csv").write_bytes(csv_bytes(rows))
    campaigns = home / "config" / "campaigns.yml"
    campaigns.write_text(
        campaigns.read_text()
        .replace("daily_cap: 40", "daily_cap: 400", 1)
        .replace("min_gap_seconds: 20", "min_gap_seconds: 0")
    )
    assert main(["run", "--home", str(home), "--as-of", AS_OF]) == 0
    return home


def test_payloads_reach_the_queue_and_every_export_is_inert(hostile):
    queue = sql(
        hostile,
        "select review_token, subject, body, prospect_name, company_name from marts.review_queue",
    )
    reached = queue.filter(
        queue["prospect_name"].str.contains("script|HYPERLINK|drop table|\\.\\./", literal=False)
    )
    assert reached.height >= 3, "the payload people should be in the review queue"
    folder = hostile / "exports" / "review" / AS_OF
    with zipfile.ZipFile(folder / "review_queue.xlsx") as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()
    sheet = load_workbook(folder / "review_queue.xlsx").active
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert not (isinstance(cell.value, str) and cell.value.startswith(TRIGGERS)), cell.value
    with (folder / "review_queue.csv").open(newline="") as handle:
        for row in csv.reader(handle):
            assert not [v for v in row if v.startswith(TRIGGERS)]
    for page in folder.glob("*.html"):
        html = page.read_text()
        assert "<script" not in html and "<img" not in html and "<svg" not in html
    for page in (hostile / "exports" / "briefs" / AS_OF).glob("*.html"):
        html = page.read_text()
        assert "<script" not in html and "<img" not in html and "<svg" not in html
    # the warehouse is whole: the SQL fragments were data
    assert sql(hostile, "select count(*) as n from raw.leads")["n"][0] > 1200
    assert sql(hostile, "select count(*) as n from review.decisions")["n"][0] == 0


def test_every_page_runs_nothing_in_a_real_browser_and_hides_nothing(hostile):
    """Review pages, briefs, handoffs and the report, opened in headless chromium: no
    payload runs; no bidi override or zero-width character reaches a reviewer (raw keeps
    them as they came)."""
    pages = sorted((hostile / "exports").rglob("*.html"))
    assert len(pages) >= 5
    # the pages that carry a marking payload (as text) are the ones a payload could run in;
    # the browser opens those (a few seconds each), every page is checked for hidden text
    marked = [p for p in pages if "pwned" in p.read_text().lower()]
    assert len({p.parent for p in marked}) >= 2, "the payloads should reach several exports"
    for page in marked:
        assert not scripts_ran(page), page
    hidden = HIDDEN
    for page in pages:
        assert not hidden.search(page.read_text()), page
    folder = hostile / "exports" / "review" / AS_OF
    assert not hidden.search((folder / "review_queue.csv").read_text())
    for row in load_workbook(folder / "review_queue.xlsx").active.iter_rows(values_only=True):
        assert not any(isinstance(v, str) and hidden.search(v) for v in row)
    kept = sql(hostile, "select first_name from raw.leads where first_name like '%gnp.exe'")
    assert kept["first_name"].to_list() == ["\u202egnp.exe"]


def test_header_injection_through_a_prospect_field_is_refused_at_send(hostile, tmp_path):
    home = tmp_path / "ws"
    shutil.copytree(hostile, home)
    queue = sql(
        home,
        "select review_token, subject, lint_passed, campaign_id from marts.review_queue "
        "where campaign_id = 'diag_uk_email_pilot' and lint_passed",
    )
    injected = queue.filter(queue["subject"].str.contains("\r|\n", literal=False))
    assert injected.height >= 1
    approve(home, queue["review_token"], AS_OF, "all")
    assert main(["run", "--home", str(home), "--as-of", AS_OF]) == 0
    assert (
        main(
            [
                "send",
                "--home",
                str(home),
                "--live",
                "--at",
                "2026-11-24T10:00:00+00:00",
                "--as-of",
                AS_OF,
            ]
        )
        == 0
    )
    sent = {p.read_bytes() for p in (home / "outbox").glob("*.eml")}
    assert sent, "the clean approved messages go out"
    for message in sent:
        assert b"Bcc: victim" not in message and b"X-Injected" not in message
    claimed = set(sql(home, "select communication_id from send.claims")["communication_id"])
    for token in injected["review_token"]:
        assert token.split(".")[0] not in claimed  # held before any claim


def test_decision_files_edited_by_hand_are_refused_row_by_row(hostile, tmp_path, capsys):
    home = tmp_path / "ws"
    shutil.copytree(hostile, home)
    tokens = sql(
        home,
        "select review_token from marts.review_queue where campaign_id = 'diag_uk_email_pilot' "
        "and lint_passed order by 1 limit 6",
    )["review_token"].to_list()
    moved = ["notes", "edited_body", "reviewer", "decision", "edited_subject", "review_token"]
    stale = tokens[5].split(".")[0] + ".0000000000000000"
    path = home / "decisions" / "by_hand.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(moved)  # columns moved: read by header, so fine
        rows = [
            {"review_token": tokens[0], "decision": "Approve", "reviewer": "rita"},
            {
                "review_token": tokens[0],
                "decision": "Approve",
                "reviewer": "rita",
            },  # duplicated row
            {
                "review_token": tokens[1],
                "decision": '=IF(1,"Approve")',
                "reviewer": "rita",
            },  # formula typed in
            {
                "review_token": tokens[2],
                "decision": "Edit And Approve",
                "reviewer": "rita",
                "edited_body": "=1+1",
            },
            {
                "review_token": tokens[3],
                "decision": "Edit And Approve",
                "reviewer": "rita",
                "edited_subject": "Hi\r\nBcc: x@evil.example",
                "edited_body": "x",
            },
            {
                "review_token": tokens[4],
                "decision": "approve",
                "reviewer": "rita",
            },  # another case: read as Approve (decisions ignore case and spacing)
            {
                "review_token": stale,
                "decision": "Approve",
                "reviewer": "rita",
            },  # a token from another day
        ]
        for row in rows:
            writer.writerow([row.get(c, "") for c in moved])
    capsys.readouterr()
    assert main(["queue", "import", str(path), "--home", str(home), "--as-of", AS_OF]) == 1
    out = capsys.readouterr().out
    assert "2 accepted, 5 rejected" in out, out
    for fragment in (
        "appears more than once",
        "is not one of",
        "edited_body is a spreadsheet formula",
        "edited_subject contains a line break",
        "unknown review token",
    ):
        assert fragment in out, (fragment, out)
    # files that cannot be read at all fail fast, naming the file
    bad_header = home / "decisions" / "no_token.csv"
    bad_header.write_text("decision,reviewer\nApprove,rita\n")
    latin = home / "decisions" / "latin1.csv"
    latin.write_bytes(
        (
            "review_token,decision,reviewer,edited_subject,edited_body,notes\nx,Approve,Zoë,,,\n"
        ).encode("utf-16")
    )
    wrong = home / "decisions" / "notes.txt"
    wrong.write_text("Approve all of them")
    for bad in (bad_header, latin, wrong):
        assert main(["queue", "import", str(bad), "--home", str(home), "--as-of", AS_OF]) == 2
        assert str(bad) in capsys.readouterr().err
    assert sql(home, "select count(*) as n from review.decisions")["n"][0] == 2
