"""Human review end to end: the daily run leaves XLSX/CSV/HTML queues; a reviewer fills the
XLSX; the import binds approvals to content hashes and refuses every bad row with a reason;
a changed draft voids its approval. Real files, real warehouse, the real CLI."""

import shutil
from datetime import date

import duckdb
import pytest
from openpyxl import load_workbook

from assets.drafting.message import content_hash
from assets.ingestion.ingest import ingest_kind
from core.config import load_config
from core.workspace import Workspace
from dagster_project.cli import main
from tests.warehouse import warehouse_sql as sql

pytestmark = pytest.mark.e2e

AS_OF = "2026-11-24"


@pytest.fixture(scope="module")
def demo(built_demo):
    """The session's built demo workspace, read only (tests that write copy it)."""
    return built_demo


def export_dir(home):
    return home / "exports" / "review" / AS_OF


def test_the_daily_run_leaves_xlsx_csv_and_html_queues(demo):
    queue = sql(demo, "select campaign_id, review_token from marts.review_queue")
    assert queue.height > 0
    folder = export_dir(demo)
    sheet = load_workbook(folder / "review_queue.xlsx").active
    assert sheet.max_row - 1 == queue.height
    assert len((folder / "review_queue.csv").read_text().splitlines()) >= queue.height + 1
    for campaign in set(queue["campaign_id"]):
        assert (folder / f"{campaign}.html").exists()
    # no draft cites evidence that may not be mentioned (AI inference above all)
    cited = sql(
        demo,
        "select e.evidence_class, e.is_safe_to_mention from drafting.drafts d "
        "join marts.prospect_evidence e on d.prospect_id = e.prospect_id and d.evidence_id = "
        "e.evidence_id",
    )
    assert cited.height == sql(demo, "select * from drafting.drafts").height
    assert cited["is_safe_to_mention"].all()
    assert not set(cited["evidence_class"]) & {"AI Inference", "Unverified Claim"}


def fill(path, decisions: dict[str, dict], extra_rows: list[dict] = ()) -> None:
    """Write decisions into the XLSX as a reviewer does (by review token)."""
    book = load_workbook(path)
    sheet = book.active
    header = [c.value for c in sheet[1]]
    col = {name: header.index(name) + 1 for name in header}
    for row in range(2, sheet.max_row + 1):
        token = sheet.cell(row=row, column=col["review_token"]).value
        for name, value in decisions.get(token, {}).items():
            sheet.cell(row=row, column=col[name], value=value)
    for extra in extra_rows:
        row = sheet.max_row + 1
        for name, value in extra.items():
            sheet.cell(row=row, column=col[name], value=value)
    book.save(path)


@pytest.fixture(scope="module")
def reviewed(demo, tmp_path_factory):
    home = tmp_path_factory.mktemp("reviewed") / "ws"
    shutil.copytree(demo, home)
    queue = sql(home, "select * from marts.review_queue order by review_token")
    pilot = queue.filter((queue["campaign_id"] == "diag_uk_email_pilot") & queue["lint_passed"])
    draft_only = queue.filter(queue["campaign_id"] == "diag_us_email_draft")
    linkedin = queue.filter(queue["campaign_id"] == "diag_linkedin_manual")
    assert pilot.height >= 8 and draft_only.height >= 1 and linkedin.height >= 1
    p = pilot.to_dicts()
    edited = p[1]["body"].replace(
        "We help owner-led businesses", "We work with owner-led businesses"
    )
    assert edited != p[1]["body"]
    plan = {
        "approve": (p[0], {"decision": "Approve", "reviewer": "rita"}),
        "edit": (p[1], {"decision": "Edit And Approve", "reviewer": "rita", "edited_body": edited}),
        "bad_edit": (
            p[2],
            {
                "decision": "Edit And Approve",
                "reviewer": "rita",
                "edited_body": p[2]["body"] + "\nAct now!",
            },
        ),
        "not_a_decision": (p[3], {"decision": "Maybe later", "reviewer": "rita"}),
        "no_reviewer": (p[4], {"decision": "Approve"}),
        "suppress": (
            p[5],
            {"decision": "Suppress", "reviewer": "rita", "notes": "asked us by phone"},
        ),
        "park": (p[6], {"decision": "Park", "reviewer": "rita"}),
        "suppressed_since": (p[7], {"decision": "Approve", "reviewer": "rita"}),
        "draft_only": (draft_only.row(0, named=True), {"decision": "Approve", "reviewer": "rita"}),
        "route": (
            linkedin.row(0, named=True),
            {"decision": "Route To Sales Owner", "reviewer": "rita"},
        ),
    }
    # a suppression arrives after the export, before the reviewer's file comes back
    target = plan["suppressed_since"][0]
    ws = Workspace.resolve(home)
    (ws.landing("suppressions") / "late.csv").write_text(
        "suppression_ref,email,domain,phone,reason,scope,scope_value,effective_at,requested_by\n"
        f"LATE-9,{target['recipient']},,,unsubscribe,global,,{AS_OF}T09:00:00Z,prospect\n"
    )
    with duckdb.connect(str(ws.warehouse)) as con:
        ingest_kind(
            con,
            "suppressions",
            ws.landing("suppressions"),
            ws.home,
            date.fromisoformat(AS_OF),
            load_config(ws.config_dir),
            "late",
        )
    returned = ws.decisions / "returned.xlsx"
    shutil.copyfile(export_dir(home) / "review_queue.xlsx", returned)
    fill(
        returned,
        {row["review_token"]: values for row, values in plan.values()},
        extra_rows=[
            {"review_token": "cm_0000.0000000000000000", "decision": "Approve", "reviewer": "rita"}
        ],
    )
    return home, plan, returned, edited


def test_import_binds_approvals_and_refuses_every_bad_row_with_its_reason(reviewed, capsys):
    home, plan, returned, edited = reviewed
    code = main(["queue", "import", str(returned), "--home", str(home), "--as-of", AS_OF])
    out = capsys.readouterr().out
    assert code == 1  # some rows were refused
    assert "5 accepted, 6 rejected" in out, out
    decisions = {
        r["review_token"]: r for r in sql(home, "select * from review.decisions").to_dicts()
    }
    approved = plan["approve"][0]
    assert decisions[approved["review_token"]]["approved_content_hash"] == approved["content_hash"]
    assert (
        str(decisions[approved["review_token"]]["expires_on"]) == "2026-11-29"
    )  # approval_valid_days 5
    edit = plan["edit"][0]
    made = decisions[edit["review_token"]]
    assert made["approved_body"] == edited
    assert made["approved_content_hash"] == content_hash(
        "email", edit["recipient"], edit["subject"], edited
    )
    assert made["approved_content_hash"] != edit["content_hash"]
    refused = {
        r["review_token"]: r["reason"]
        for r in sql(home, "select * from review.rejected_decisions").to_dicts()
    }
    expected = {
        "bad_edit": "the edit fails lint: no_fake_urgency",
        "not_a_decision": "decision 'Maybe later' is not one of",
        "no_reviewer": "no reviewer named",
        "suppressed_since": "the prospect was suppressed since export: LATE-9",
        "draft_only": "is Draft Only: its drafts cannot be approved to send",
    }
    for key, fragment in expected.items():
        assert fragment in refused[plan[key][0]["review_token"]], refused
    assert "unknown review token" in refused["cm_0000.0000000000000000"]
    # the actions: a suppression event ingested at once, a task, a prospect state
    suppressed = sql(
        home, "select email from raw.suppressions where suppression_ref like 'REVIEW-%'"
    )
    assert suppressed["email"].to_list() == [plan["suppress"][0]["recipient"]]
    tasks = sql(home, "select kind, prospect_id, owner from review.tasks")
    assert tasks.rows() == [
        ("route_to_sales_owner", plan["route"][0]["prospect_id"], "alex.morgan")
    ]
    states = sql(home, "select state, prospect_id from review.prospect_states")
    assert states.rows() == [("Parked", plan["park"][0]["prospect_id"])]
    # the same file again changes nothing
    assert main(["queue", "import", str(returned), "--home", str(home), "--as-of", AS_OF]) == 0
    assert "already imported" in capsys.readouterr().out
    assert sql(home, "select count(*) as n from review.decisions")["n"][0] == 5


def test_approvals_hold_until_the_draft_changes(reviewed, capsys):
    home, plan, returned, _ = reviewed
    assert main(["run", "--home", str(home), "--as-of", AS_OF]) == 0
    approved = sql(
        home, "select communication_id from intermediate.int_drafts_approved where is_approved"
    )
    ids = set(approved["communication_id"])
    assert {plan["approve"][0]["communication_id"], plan["edit"][0]["communication_id"]} == ids
    queue = set(sql(home, "select review_token from marts.review_queue")["review_token"])
    assert plan["approve"][0]["review_token"] not in queue
    assert plan["no_reviewer"][0]["review_token"] in queue  # refused rows stay to be decided
    # the suppressed prospects are gone from the queue and the candidates
    gone = {plan["suppress"][0]["prospect_id"], plan["suppressed_since"][0]["prospect_id"]}
    assert not gone & set(
        sql(home, "select prospect_id from marts.draft_candidates")["prospect_id"]
    )
    # a changed template changes the drafts: the approvals bound to the old content are void
    sequences = home / "config" / "sequences.yml"
    sequences.write_text(
        sequences.read_text()
        .replace("tends to keep more visitors", "keeps more visitors")
        .replace(
            "We help owner-led businesses make booking easier.",
            "We help owner-led businesses take more bookings.",
        )
    )
    assert main(["run", "--home", str(home), "--as-of", AS_OF]) == 0
    assert (
        sql(home, "select count(*) as n from intermediate.int_drafts_approved where is_approved")[
            "n"
        ][0]
        == 0
    )
    queue = sql(home, "select communication_id, review_token from marts.review_queue")
    assert plan["approve"][0]["communication_id"] in set(queue["communication_id"])
    # and the old token is refused: the draft changed since export
    stale = home / "decisions" / "late-approval.csv"
    stale.write_text(
        f"review_token,decision,reviewer,edited_subject,edited_body,"
        f"notes\n{plan['approve'][0]['review_token']},Approve,rita,,,\n"
    )
    capsys.readouterr()
    assert main(["queue", "import", str(stale), "--home", str(home), "--as-of", AS_OF]) == 1
    assert "the draft changed since export" in capsys.readouterr().out
