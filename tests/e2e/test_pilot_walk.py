"""After the reply, the whole walk at once: a pilot sends six first touches over SMTP; the
next day six people answer (Interested, Question, Objection, Referral, Not Now,
Unsubscribe), the interested one books and does not show, a proposal sent a week ago has
had no answer, a deal lost in September is old enough to reopen, and a new web-form lead
asks a question. One daily run later: a task per human reply, a governed response draft
for the interested and the question (none for the opt-out), a proposal follow-up, an
answer to the form, a reactivation, each linted, and the CRM says what happened. The
exported queue shows the same."""

import json
from collections import Counter
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from dagster_project.cli import main
from tests.arrivals import land_events, write_reply
from tests.conftest import AS_OF, copy_of
from tests.e2e.test_reactivation import CAMPAIGN as REACTIVATION
from tests.e2e.test_reactivation import add_reactivation_campaign
from tests.review_and_send import approve, send_live, without_send_gap
from tests.smtp_server import SmtpServer
from tests.warehouse import warehouse_sql as sql

pytestmark = pytest.mark.e2e
PILOT = "diag_uk_email_pilot"
DAY1 = AS_OF.isoformat()  # 2026-11-24
DAY2 = "2026-11-25"
REPLIES = {
    "interested": ("Yes please, send the checklist over. Thursday works for a call.", "Interested"),
    "question": ("How long does the diagnostic take?", "Question"),
    "objection": (
        "Not convinced. We tried something similar before and it didn't work for us.",
        "Objection",
    ),
    "referral": (
        "I am not the right person. Please speak to priya.shah@elsewhere.example",
        "Referral",
    ),
    "not_now": ("Not right now, maybe check back in March.", "Not Now"),
    "unsubscribe": ("Please remove me from your list.", "Unsubscribe"),
}
ASKED = "Do you also look at how the booking form works on phones?"


def reply(home, name: str, sent: dict, words: str) -> None:
    at = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    write_reply(
        home, f"walk-{name}", sent["recipient"], sent["subject"], sent["message_id"], words, at
    )


@pytest.fixture(scope="module")
def walked(built_demo, tmp_path_factory):
    home = copy_of(built_demo, tmp_path_factory.mktemp("walk") / "ws")
    without_send_gap(home)
    add_reactivation_campaign(home)
    monkeypatch = pytest.MonkeyPatch()
    try:
        # day 1: six first touches approved and sent
        queue = sql(
            home,
            f"select review_token from marts.review_queue where campaign_id = '{PILOT}' "
            "and lint_passed and step = 1 order by review_token limit 6",
        )
        approve(home, queue["review_token"], DAY1, "walk", at=f"{DAY1}T09:00:00")
        assert main(["run", "--home", str(home), "--as-of", DAY1]) == 0
        with SmtpServer() as server:
            assert send_live(home, server, monkeypatch, DAY1, f"{DAY1}T10:00:00+00:00") == 0
    finally:
        monkeypatch.undo()
    sent = sql(
        home,
        "select r.prospect_id, r.recipient, r.message_id, d.subject from send.records r "
        "join drafting.draft_history d using (communication_id) where r.sent_status = 'sent' "
        "order by r.prospect_id",
    ).to_dicts()
    assert len(sent) == 6
    who = dict(zip(REPLIES, sent, strict=True))
    # day 2: their answers, the calendar, the CRM and a form
    for name, (words, _) in REPLIES.items():
        reply(home, name, who[name], words)
    [proposed, lost] = sql(
        home,
        """select c.prospect_id, p.email as recipient from marts.draft_candidates c
           inner join marts.prospects p using (prospect_id)
           where c.campaign_id = 'diag_uk_email_pilot' and p.email is not null
             and c.prospect_id not in (select prospect_id from drafting.draft_history)
           order by c.prospect_id limit 2""",
    ).to_dicts()
    who |= {"proposed": proposed, "lost": lost}
    interested = who["interested"]["recipient"]
    land_events(
        home,
        [
            {
                "event_ref": "CAL-1",
                "event_type": "calendar_confirmed",
                "occurred_at": f"{DAY2}T09:00:00Z",
                "email": interested,
                "evidence_ref": "calendar-event-1",
            },
            {
                "event_ref": "CAL-1-NS",
                "event_type": "meeting_no_show",
                "occurred_at": f"{DAY2}T15:00:00Z",
                "email": interested,
                "evidence_ref": "calendar-event-1",
            },
            {
                "event_ref": "PRO-9",
                "event_type": "proposal_sent",
                "occurred_at": "2026-11-18T15:00:00Z",
                "email": proposed["recipient"],
                "evidence_ref": "proposal-v1.pdf",
                "value": "3200",
                "proposal_version": "v1",
                "scope_summary": "A review of the booking journey with written findings",
                "owner": "sam.lee",
            },
            {
                "event_ref": "LOST-9",
                "event_type": "deal_lost",
                "occurred_at": "2026-09-01T12:00:00Z",
                "email": lost["recipient"],
                "evidence_ref": "crm-opportunity-9",
            },
        ],
        "crm-walk",
    )
    [company] = sql(
        home,
        f"""select p.company_name, p.company_domain, p.country, p.role
            from drafting.drafts d inner join marts.prospects p using (prospect_id)
            where d.campaign_id = '{PILOT}' and p.source_id = 'web_form' and d.step = 1
            order by d.prospect_id limit 1""",
    ).to_dicts()
    form = {
        "source_id": "web_form",
        "source_record": "WEB-WALK-1",
        "captured_on": DAY2,
        "first_name": "Robin",
        "last_name": "Okafor",
        "email": f"robin.okafor@{company['company_domain']}",
        "company_name": company["company_name"],
        "company_website": company["company_domain"],
        "role": company["role"],
        "country": company["country"],
        "form_answer": ASKED,
    }
    (home / "landing" / "leads" / "walk_form.jsonl").write_text(json.dumps(form) + "\n")
    who["form"] = {"recipient": form["email"]}
    assert main(["run", "--home", str(home), "--as-of", DAY2]) == 0
    return home, who


def test_a_task_per_human_reply_with_its_class(walked):
    home, who = walked
    tasks = {t["prospect_id"]: t for t in sql(home, "select * from marts.reply_tasks").to_dicts()}
    for name, (_, expected) in REPLIES.items():
        assert tasks[who[name]["prospect_id"]]["reply_class"] == expected, name
    # one each (the demo's own mailbox brings its tasks too)
    ours = [
        t
        for t in tasks.values()
        if t["prospect_id"] in {w["prospect_id"] for w in who.values() if "prospect_id" in w}
    ]
    assert len(ours) == len(REPLIES)
    referral = tasks[who["referral"]["prospect_id"]]
    assert referral["referred_contact"] == "priya.shah@elsewhere.example"
    # and a research task to verify that person before any contact
    [research] = sql(
        home,
        "select * from marts.research_tasks where signal_type = 'referral' and prospect_id = "
        f"'{who['referral']['prospect_id']}'",
    ).to_dicts()
    assert "priya.shah@elsewhere.example" in research["signal_text"]


def test_responses_for_interest_and_questions_never_for_an_opt_out(walked):
    home, who = walked
    drafts = sql(home, "select * from drafting.drafts where answers_message is not null").to_dicts()
    by_person = {d["prospect_id"]: d for d in drafts}
    for name in ("interested", "question"):
        draft = by_person[who[name]["prospect_id"]]
        assert draft["lint_passed"], (name, draft["lint_failures"])
    assert by_person[who["interested"]["prospect_id"]]["message_type"] == "Appointment Follow-Up"
    assert "30 minutes" in by_person[who["question"]["prospect_id"]]["body"]
    for name in ("unsubscribe", "not_now", "referral"):
        assert who[name]["prospect_id"] not in by_person, name


def test_the_crm_says_what_happened(walked):
    home, who = walked
    crm = {
        (r["prospect_id"], r["campaign_id"]): r
        for r in sql(home, "select * from marts.crm_pipeline").to_dicts()
    }

    def row(name: str, campaign: str = PILOT) -> dict:
        return crm[(who[name]["prospect_id"], campaign)]

    # the CRM stage each fact put them in, from its evidence
    stages = {
        "interested": "Booked",
        "question": "Replied",
        "objection": "Replied",
        "referral": "Replied",
        "not_now": "Not Now",
        "unsubscribe": "Suppressed",
        "proposed": "Proposal Sent",
        "lost": "Closed Lost",
    }
    assert {name: row(name)["crm_stage"] for name in stages} == stages
    # a qualified booking, and the no-show recorded
    assert row("interested")["booked_on"].isoformat() == DAY2
    assert row("interested")["is_qualified_booking"] is True
    assert row("interested")["showed"] is False
    assert row("unsubscribe")["suppression_status"] != "not suppressed"
    assert row("not_now")["sequence_status"] == "Parked"
    assert row("not_now")["reply_class"] == "Not Now"
    assert row("proposed")["proposal_state"] == "Follow-Up Due"
    assert row("lost")["outcome"] == "lost"


def test_a_proposal_follow_up_an_answer_to_the_form_and_a_reactivation(walked):
    home, who = walked
    drafts = sql(home, "select * from drafting.drafts").to_dicts()
    [follow_up] = [d for d in drafts if d["message_type"] == "Proposal Follow-Up"]
    assert follow_up["prospect_id"] == who["proposed"]["prospect_id"]
    assert "version v1" in follow_up["body"] and follow_up["lint_passed"]
    [answer] = [d for d in drafts if d["recipient"] == who["form"]["recipient"]]
    assert f'You wrote: "{ASKED}"' in answer["body"] and answer["lint_passed"]
    [reopened] = [d for d in drafts if d["campaign_id"] == REACTIVATION]
    assert reopened["prospect_id"] == who["lost"]["prospect_id"]
    assert reopened["message_type"] == "Reactivation" and reopened["lint_passed"]


def test_the_exported_queue_shows_the_tasks_and_responses(walked):
    home, who = walked
    book = load_workbook(home / "exports" / "review" / DAY2 / "review_queue.xlsx")
    tasks = book["reply_tasks"]
    header = [c.value for c in tasks[1]]
    classes = [r[header.index("reply_class")] for r in tasks.iter_rows(2, values_only=True)]
    ours = {r[header.index("task_id")] for r in tasks.iter_rows(2, values_only=True)}
    [(expected_tasks,)] = sql(home, "select count(*) from marts.reply_tasks").rows()
    assert len(ours) == expected_tasks
    assert Counter(expected for _, expected in REPLIES.values()) <= Counter(classes)
    queue = book["review_queue"]
    header = [c.value for c in queue[1]]
    rows = [dict(zip(header, r, strict=True)) for r in queue.iter_rows(2, values_only=True)]
    answering = [r for r in rows if str(r["reply_state"] or "").startswith("answers a")]
    kinds = {r["reply_state"].split(" reply")[0] for r in answering}
    assert {"answers a Interested", "answers a Question"} <= kinds
    assert not any("Unsubscribe" in k for k in kinds)
