"""Proposal follow-up, through the real pipeline: proposal events land from the CRM (one
with no answer for a week, one the prospect asked about, one accepted); the daily run drafts
one governed Proposal Follow-Up, for the first only, citing the proposal's date, version and
scope; a reviewer's edit that changes the price is refused and one quoting the record's
price is taken; the follow-up goes out over SMTP, and the next days count it: no second
follow-up until the wait has passed again, none past the campaign's maximum."""

import csv

import pytest

from assets.exports.review_queue import REVIEWER_COLUMNS
from dagster_project.cli import main
from tests.arrivals import land_events
from tests.conftest import AS_OF, copy_of
from tests.review_and_send import send_live, without_send_gap
from tests.smtp_server import SmtpServer
from tests.warehouse import warehouse_sql as sql

pytestmark = pytest.mark.e2e
DAY = AS_OF.isoformat()  # 2026-11-24
SCOPE = "Booking page rebuild and a review of the enquiry form"


def run(home, day: str) -> None:
    assert main(["run", "--home", str(home), "--as-of", day]) == 0


def import_decisions(home, rows: list[list[str]], name: str, capsys) -> str:
    path = home / "decisions" / f"{name}.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["review_token", *REVIEWER_COLUMNS])
        writer.writerows(rows)
    main(
        ["queue", "import", str(path), "--home", str(home), "--as-of", DAY, "--at", f"{DAY}T09:00"]
    )
    return capsys.readouterr().out


def follow_ups(home) -> list[dict]:
    return sql(
        home,
        "select * from drafting.drafts where message_type = 'Proposal Follow-Up' order by all",
    ).to_dicts()


def test_a_proposal_without_an_answer_is_followed_up_once_within_its_terms(
    built_demo, tmp_path, monkeypatch, capsys
):
    home = copy_of(built_demo, tmp_path / "ws")
    without_send_gap(home)
    # three people from the UK pilot's drafts, with email addresses
    people = sql(
        home,
        """select d.prospect_id, d.recipient from drafting.drafts d
           where d.campaign_id = 'diag_uk_email_pilot' and d.step = 1 and d.lint_passed
           order by d.prospect_id limit 3""",
    ).to_dicts()
    waiting, asked, accepted = people
    proposal = {
        "event_type": "proposal_sent",
        "occurred_at": "2026-11-17T15:00:00Z",
        "evidence_ref": "proposal-v2.pdf",
        "value": "4500",
        "proposal_version": "v2",
        "scope_summary": SCOPE,
        "owner": "sam.lee",
    }
    land_events(
        home,
        [
            proposal | {"event_ref": "P-1", "email": waiting["recipient"]},
            proposal | {"event_ref": "P-2", "email": asked["recipient"]},
            {
                "event_ref": "P-2Q",
                "event_type": "proposal_question",
                "occurred_at": "2026-11-20T11:00:00Z",
                "email": asked["recipient"],
                "evidence_ref": "crm-note-77",
            },
            proposal | {"event_ref": "P-3", "email": accepted["recipient"]},
            {
                "event_ref": "P-3A",
                "event_type": "proposal_accepted",
                "occurred_at": "2026-11-21T09:00:00Z",
                "email": accepted["recipient"],
                "evidence_ref": "signed-v2.pdf",
            },
        ],
        "crm-proposals",
    )
    run(home, DAY)

    states = {
        r["prospect_id"]: r["proposal_state"]
        for r in sql(
            home,
            "select distinct prospect_id, proposal_state from marts.crm_pipeline "
            "where proposal_state is not null",
        ).to_dicts()
    }
    assert states == {
        waiting["prospect_id"]: "Follow-Up Due",
        asked["prospect_id"]: "Questions Received",
        accepted["prospect_id"]: "Accepted",
    }
    # one follow-up, for the person with no answer, in one campaign only
    [draft] = follow_ups(home)
    assert draft["prospect_id"] == waiting["prospect_id"]
    assert draft["recipient"] == waiting["recipient"] and draft["step"] == 0
    assert draft["lint_passed"] and draft["drafted_by"] == "template:proposal"
    assert "17 November 2026 (version v2)" in draft["body"] and SCOPE in draft["body"]
    assert draft["subject"] == "Following up on our proposal (version v2)"
    [queued] = sql(
        home,
        "select reply_state from marts.review_queue where communication_id = "
        f"'{draft['communication_id']}'",
    ).to_dicts()
    assert queued["reply_state"].startswith("follows up a proposal")

    # the reviewer may quote the record's price, never another
    token = draft["review_token"]
    other_price = draft["body"].replace(SCOPE + ".", SCOPE + ", for £3,900.")
    out = import_decisions(
        home, [[token, "Edit And Approve", "rita", "", other_price, ""]], "price", capsys
    )
    assert "no_unapproved_commitment" in out and "£3,900" in out
    record_price = draft["body"].replace(SCOPE + ".", SCOPE + ", for £4,500.")
    out = import_decisions(
        home, [[token, "Edit And Approve", "rita", "", record_price, ""]], "ok", capsys
    )
    assert "1 accepted" in out, out
    run(home, DAY)
    queue = sql(home, "select communication_id from marts.send_queue where step = 0")
    assert queue["communication_id"].to_list() == [draft["communication_id"]]
    with SmtpServer() as server:
        assert send_live(home, server, monkeypatch, DAY, f"{DAY}T10:00:00+00:00") == 0
    [message] = server.received
    assert message["X-Communication-ID"] == draft["communication_id"]
    assert "£4,500" in message.get_payload(decode=True).decode()

    # the next day: the follow-up counts; nothing is due until the wait has passed again
    run(home, "2026-11-25")
    assert follow_ups(home) == []
    [state] = sql(
        home,
        "select proposal_state, follow_ups_sent, follow_up_due_on from "
        f"intermediate.int_proposal_states where prospect_id = '{waiting['prospect_id']}' "
        "order by campaign_id limit 1",
    ).to_dicts()
    assert state["follow_ups_sent"] == 1 and state["proposal_state"] == "Waiting For Confirmation"
    assert state["follow_up_due_on"].isoformat() == "2026-11-29"
