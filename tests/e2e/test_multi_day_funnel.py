"""Several days of one pilot campaign end to end, through the real CLI, a real SMTP
server on loopback, real RFC 822 replies in the mailbox and calendar events in a
landing file. On each day: the sequence state, the CRM stage, the evidence behind it
and the funnel counts, as the framework defines them; the deliverability monitor
pauses the campaign after a hard bounce in a six-message pilot; the report and the
handoff briefs are written."""

from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

import pytest

from dagster_project.cli import main
from tests.arrivals import land_events
from tests.review_and_send import approve, send_live, without_send_gap
from tests.smtp_server import SmtpServer
from tests.warehouse import demo_workspace
from tests.warehouse import warehouse_sql as sql

pytestmark = pytest.mark.e2e

CAMPAIGN = "diag_uk_email_pilot"
DAY1, DAY2, DAY3, DAY4, DAY5 = (
    "2026-11-02",
    "2026-11-03",
    "2026-11-06",
    "2026-11-09",
    "2026-11-10",
)  # Mon, Tue, Fri, Mon, Tue


def run(home, day: str) -> None:
    assert main(["run", "--home", str(home), "--as-of", day]) == 0


def reply(home, name: str, sent: dict, body: str, day: str, headers: dict | None = None) -> None:
    message = EmailMessage()
    message["From"] = sent["recipient"]
    message["To"] = "alex.morgan@mwms.example"
    message["Subject"] = "Re: " + sent["subject"]
    message["Date"] = format_datetime(datetime.fromisoformat(f"{day}T08:00:00").replace(tzinfo=UTC))
    message["Message-ID"] = f"<{name}-{sent['prospect_id']}@reply.example>"
    message["In-Reply-To"] = sent["message_id"]
    message["References"] = sent["message_id"]
    for key, value in (headers or {}).items():
        message[key] = value
    message.set_content(f"{body}\n\n> {sent['subject']}\n")
    (home / "mailbox" / f"{name}.eml").write_bytes(bytes(message))


def bounce(home, sent: dict, day: str) -> None:
    when = format_datetime(datetime.fromisoformat(f"{day}T07:00:00").replace(tzinfo=UTC))
    dsn = (
        "From: Mail Delivery System <MAILER-DAEMON@mx.mwms.example>\r\nTo: "
        "alex.morgan@mwms.example\r\n"
        f"Subject: Undelivered Mail Returned to Sender\r\nDate: {when}\r\n"
        f"Message-ID: <bounce-{sent['prospect_id']}@mx.mwms.example>\r\n"
        "Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; "
        "mx.mwms.example\r\n\r\n"
        f"Final-Recipient: rfc822; {sent['recipient']}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        f"Diagnostic-Code: smtp; 550 5.1.1 <{sent['recipient']}>: Recipient address rejected: "
        f"User unknown\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {sent['message_id']}\r\n--B--\r\n"
    )
    (home / "mailbox" / f"bounce-{sent['prospect_id']}.eml").write_bytes(dsn.encode())


def states(home) -> dict[str, dict]:
    rows = sql(
        home,
        f"""select s.prospect_id, s.state, s.current_step, s.next_step, s.next_due_on,
               c.crm_stage, c.stage_evidence_source, c.stage_evidence_ref
        from marts.sequence_states s
        join marts.crm_pipeline c using (prospect_id, campaign_id)
        where s.campaign_id = '{CAMPAIGN}'""",
    )
    return {r["prospect_id"]: r for r in rows.iter_rows(named=True)}


def funnel(home, day: str) -> dict[str, int]:
    row = sql(
        home,
        f"select * from marts.funnel_daily where campaign_id = '{CAMPAIGN}' and funnel_day = "
        f"'{day}'",
    )
    columns = [c for c in row.columns if row[c].dtype.is_numeric()]
    return {c: row[c].sum() for c in columns}


@pytest.fixture(scope="module")
def days(tmp_path_factory):
    """Run the four days once; each test reads what one day left (snapshots per day)."""
    home = demo_workspace(tmp_path_factory.mktemp("days") / "ws", leads=1500, seed=13, as_of=DAY1)
    without_send_gap(home)
    seen: dict[str, dict] = {}
    with SmtpServer() as server:
        monkeypatch = pytest.MonkeyPatch()
        try:
            # day 1: six pilot drafts approved and sent
            queue = sql(
                home,
                f"select review_token from marts.review_queue where campaign_id = '{CAMPAIGN}' "
                "and lint_passed order by review_token limit 6",
            )
            approve(home, queue["review_token"], DAY1, "day1", at=f"{DAY1}T09:00:00")
            run(home, DAY1)
            assert send_live(home, server, monkeypatch, DAY1, f"{DAY1}T10:00:00+00:00") == 0
            run(home, DAY1)
            sent = sql(
                home,
                "select r.prospect_id, r.recipient, r.message_id, d.subject from send.records r "
                "join drafting.draft_history d using (communication_id) "
                "where r.sent_status = 'sent' order by r.prospect_id",
            ).to_dicts()
            seen["day1"] = {
                "sent": sent,
                "states": states(home),
                "funnel": funnel(home, DAY1),
                "received": len(server.handler.received),
            }
            a, b, c, d, e, f = sent
            seen["who"] = {
                "interested": a,
                "bounced": b,
                "away": c,
                "optout": d,
                "quiet": e,
                "quiet2": f,
            }

            # day 2: an interested reply, a hard bounce, an out-of-office until the 20th, an opt-out
            reply(home, "interested", a, "Yes please, send the checklist over.", DAY2)
            bounce(home, b, DAY2)
            reply(
                home,
                "away",
                c,
                "I am out of the office until 20 November.",
                DAY2,
                {"Auto-Submitted": "auto-replied"},
            )
            reply(home, "optout", d, "Please remove me from your list.", DAY2)
            run(home, DAY2)
            seen["day2"] = {
                "states": states(home),
                "funnel": funnel(home, DAY2),
                "monitor": sql(
                    home,
                    f"select * from marts.deliverability_monitor where campaign_id = '{CAMPAIGN}'",
                ).to_dicts()[0],
            }

            # day 3: the calendar confirms the interested prospect's booking; step 2 falls due
            land_events(
                home,
                [
                    {
                        "event_ref": "CAL-1",
                        "event_type": "calendar_confirmed",
                        "occurred_at": f"{DAY3}T09:30:00Z",
                        "email": a["recipient"],
                        "evidence_ref": "calendar-event-981",
                    }
                ],
                "calendar-day3",
            )
            # a human audits two CRM records against their evidence: the interested
            # prospect's stage is right; the away prospect's record is judged wrong
            s2 = seen["day2"]["states"]
            for person, stage in (
                (a, s2[a["prospect_id"]]["crm_stage"]),
                (c, "Not Now"),
            ):
                audit = ["audit-crm", person["prospect_id"], CAMPAIGN, "--stage", stage]
                audit += ["--by", "jo.auditor", "--as-of", DAY3, "--at", f"{DAY3}T08:00:00"]
                assert main([*audit, "--home", str(home)]) == 0
            run(home, DAY3)
            seen["day3"] = {
                "states": states(home),
                "funnel": funnel(home, DAY3),
                "totals": sql(
                    home, f"select * from marts.funnel_campaign where campaign_id = '{CAMPAIGN}'"
                ).to_dicts()[0],
                "gate": sql(
                    home,
                    f"select * from marts.pilot_gate where campaign_id = '{CAMPAIGN}' order by "
                    f"check_order",
                ).to_dicts(),
                "drafts": sql(
                    home,
                    f"select prospect_id, step from drafting.drafts where campaign_id = "
                    f"'{CAMPAIGN}'",
                ).to_dicts(),
            }
            assert main(["report", "--home", str(home), "--as-of", DAY3]) == 0

            # day 4: the follow-ups are approved, but the campaign is paused: nothing goes out
            before = len(server.handler.received)
            step2 = sql(
                home,
                f"select review_token from marts.review_queue where campaign_id = '{CAMPAIGN}' "
                f"and step = 2",
            )
            approve(home, step2["review_token"], DAY4, "day4", at=f"{DAY4}T09:00:00")
            # after the meeting, a proposal goes out with its value
            land_events(
                home,
                [
                    {
                        "event_ref": "MTG-1",
                        "event_type": "meeting_held",
                        "occurred_at": f"{DAY4}T08:00:00Z",
                        "email": a["recipient"],
                        "evidence_ref": "calendar-event-981",
                    },
                    {
                        "event_ref": "PRO-1",
                        "event_type": "proposal_sent",
                        "occurred_at": f"{DAY4}T08:30:00Z",
                        "email": a["recipient"],
                        "evidence_ref": "proposal-v1.pdf",
                        "value": "12000",
                        "proposal_version": "v1",
                        "scope_summary": "Booking journey rebuild: three pages and the form",
                        "owner": "sam.lee",
                    },
                ],
                "crm-day4",
            )
            run(home, DAY4)
            seen["day4_pipeline"] = sql(
                home,
                f"select * from marts.crm_pipeline where campaign_id = '{CAMPAIGN}' "
                f"and prospect_id = '{a['prospect_id']}'",
            ).to_dicts()[0]
            assert send_live(home, server, monkeypatch, DAY4, f"{DAY4}T10:00:00+00:00") == 0
            run(home, DAY4)
            seen["day4_sending"] = {
                r["prospect_id"]: r
                for r in sql(home, "select * from marts.sending_records").iter_rows(named=True)
            }
            seen["day4"] = {
                "step2_tokens": step2.height,
                "received_after": len(server.handler.received) - before,
            }

            # day 5: the interested prospect signs (a win); a quiet one books through the
            # link and does not turn up (a no-show)
            land_events(
                home,
                [
                    {
                        "event_ref": "WON-1",
                        "event_type": "deal_won",
                        "occurred_at": f"{DAY5}T11:00:00Z",
                        "email": a["recipient"],
                        "evidence_ref": "signed-order-77",
                        "value": "12000",
                    },
                    {
                        "event_ref": "CAL-2",
                        "event_type": "calendar_confirmed",
                        "occurred_at": f"{DAY5}T07:00:00Z",
                        "email": f["recipient"],
                        "evidence_ref": "calendar-event-990",
                    },
                    {
                        "event_ref": "MTG-2",
                        "event_type": "meeting_no_show",
                        "occurred_at": f"{DAY5}T10:15:00Z",
                        "email": f["recipient"],
                        "evidence_ref": "calendar-event-990",
                    },
                ],
                "crm-day5",
            )
            run(home, DAY5)
            seen["day5"] = {
                "states": states(home),
                "totals": sql(
                    home, f"select * from marts.funnel_campaign where campaign_id = '{CAMPAIGN}'"
                ).to_dicts()[0],
                "pipeline": {
                    r["prospect_id"]: r
                    for r in sql(
                        home,
                        f"select * from marts.crm_pipeline where campaign_id = '{CAMPAIGN}'",
                    ).iter_rows(named=True)
                },
            }
        finally:
            monkeypatch.undo()
    seen["home"] = home
    return seen


def test_day1_six_messages_sent_each_backed_by_a_provider_id(days):
    assert days["day1"]["received"] == 6
    states_1 = days["day1"]["states"]
    for s in days["day1"]["sent"]:
        row = states_1[s["prospect_id"]]
        assert row["state"] == "Sent" and row["next_step"] == 2
        assert row["crm_stage"] == "Sent" and row["stage_evidence_source"] == "send"
        assert row["stage_evidence_ref"].startswith("send.records/")
    not_sent = [
        r for p, r in states_1.items() if p not in {s["prospect_id"] for s in days["day1"]["sent"]}
    ]
    # every audience member is tracked: the suppressed ones too, as Suppressed
    assert {r["state"] for r in not_sent} <= {"Not Started", "Waiting For Approval", "Suppressed"}
    assert all(r["crm_stage"] == "Suppressed" for r in not_sent if r["state"] == "Suppressed")
    f = days["day1"]["funnel"]
    assert f["messages_sent"] == 6 and f["messages_approved"] == 6 and f["followups_sent"] == 0
    assert f["drafts_created"] >= 6 and f["replies"] == 0


def test_day2_replies_bounces_and_opt_outs_move_the_state_with_their_evidence(days):
    who, s = days["who"], days["day2"]["states"]
    interested = s[who["interested"]["prospect_id"]]
    assert interested["state"] == "Reply Received"
    assert interested["crm_stage"] == "Qualification In Progress"
    assert interested["stage_evidence_source"] == "inbound"
    assert (
        interested["stage_evidence_ref"]
        == f"inbound.messages/<interested-{who['interested']['prospect_id']}@reply.example>"
    )
    for key in ("bounced", "optout"):
        assert s[who[key]["prospect_id"]]["state"] == "Suppressed"
        assert s[who[key]["prospect_id"]]["crm_stage"] == "Suppressed"
    away = s[who["away"]["prospect_id"]]
    assert away["state"] == "Waiting" and str(away["next_due_on"]) == "2026-11-20"
    assert away["crm_stage"] == "Waiting For Reply"
    for key in ("quiet", "quiet2"):
        assert s[who[key]["prospect_id"]]["state"] == "Waiting"
        assert str(s[who[key]["prospect_id"]]["next_due_on"]) == "2026-11-06"
    f = days["day2"]["funnel"]
    assert (
        f["replies"],
        f["positive_replies"],
        f["unsubscribes"],
        f["hard_bounces"],
        f["out_of_office"],
    ) == (2, 1, 1, 1, 1)
    # one hard bounce in six: over the 2% bounce threshold, the campaign is paused
    monitor = days["day2"]["monitor"]
    assert (
        monitor["status"] == "paused" and monitor["bounces"] == 1 and monitor["messages_sent"] == 6
    )
    assert "bounce rate" in monitor["pause_reason"]


def test_day3_booking_confirmed_follow_ups_drafted_and_the_pilot_gate_figures(days):
    who, s = days["who"], days["day3"]["states"]
    booked = s[who["interested"]["prospect_id"]]
    assert booked["state"] == "Booked" and booked["crm_stage"] == "Booked"
    assert (
        booked["stage_evidence_source"] == "crm"
        and "calendar-event-981" in booked["stage_evidence_ref"]
    )
    for key in ("quiet", "quiet2"):
        row = s[who[key]["prospect_id"]]
        # the wait for step 2 passed on the 6th: drafted that day, waiting for a human
        assert row["state"] == "Waiting For Approval" and row["current_step"] == 2
        assert row["crm_stage"] == "Follow-Up Due" and row["stage_evidence_source"] == "send"
    assert {(d["prospect_id"], d["step"]) for d in days["day3"]["drafts"]} >= {
        (who["quiet"]["prospect_id"], 2),
        (who["quiet2"]["prospect_id"], 2),
    }
    assert s[who["away"]["prospect_id"]]["state"] == "Waiting"
    assert (
        days["day3"]["funnel"]["bookings"] == 1
        and days["day3"]["funnel"]["qualified_bookings"] == 1
    )
    t = days["day3"]["totals"]
    assert (
        t["messages_sent"],
        t["hard_bounces"],
        t["unsubscribes"],
        t["positive_replies"],
        t["bookings"],
    ) == (6, 1, 1, 1, 1)
    assert t["bounce_rate"] == pytest.approx(1 / 6) and t["positive_reply_rate"] == pytest.approx(
        1 / 6
    )
    # CRM accuracy is the humans' audit, independent of the pipeline: one of two right
    assert (t["crm_audits"], t["crm_audits_correct"], t["crm_accuracy"]) == (2, 1, 0.5)
    assert t["crm_evidence_coverage"] == 1.0 and t["transitions_not_allowed"] == 0
    gate = {g["check_name"]: g for g in days["day3"]["gate"]}
    assert not gate["pilot size reached"]["passed"] and gate["pilot size reached"]["figure"] == 6
    assert not gate["deliverability is acceptable"]["passed"]
    assert gate["bookings are qualified"]["passed"] and gate["suppression works"]["passed"]
    crm = gate["CRM records are accurate"]
    assert not crm["passed"] and crm["detail"].startswith("1 of 2 audited records right")


def test_day4_the_paused_campaign_sends_nothing(days):
    assert days["day4"]["step2_tokens"] == 2
    assert days["day4"]["received_after"] == 0


def test_the_report_shows_the_charts_and_the_handoff_names_the_booking(days):
    home, who = days["home"], days["who"]
    html = (home / "exports" / "reports" / DAY3 / "funnel.html").read_text()
    assert html.count("<svg") == 4 and 'class="series reply-rate"' in html
    assert "<script" not in html and "Content-Security-Policy" in html
    handoff = home / "exports" / "handoff" / DAY3 / f"{who['interested']['prospect_id']}.html"
    text = handoff.read_text()
    assert "Booked" in text and "calendar-event-981" in text


def test_day4_the_meeting_and_the_proposal_reach_the_pipeline(days):
    row = days["day4_pipeline"]
    assert row["crm_stage"] == "Proposal Sent" and "proposal-v1.pdf" in row["stage_evidence_ref"]
    assert row["proposal_state"] == "Proposal Sent" and row["opportunity_value"] == 12000
    # the proposal's record: what a follow-up may cite and never change
    assert (row["proposal_version"], row["proposal_price"], row["proposal_owner"]) == (
        "v1",
        12000,
        "sam.lee",
    )
    assert row["proposal_scope"] == "Booking journey rebuild: three pages and the form"
    home, who = days["home"], days["who"]
    handoff = home / "exports" / "handoff" / DAY4 / f"{who['interested']['prospect_id']}.html"
    text = handoff.read_text()
    assert "version v1" in text and "price 12,000" in text and "owner sam.lee" in text
    assert row["showed"] is True and row["is_qualified_booking"] is True
    assert row["sequence_status"] == "Booked" and row["next_action"] == "follow up the proposal"


def test_the_sending_record_learns_replies_outcomes_and_suppression(days):
    """marts.sending_records: one row per message that left (the six of day 1; day 4's
    follow-ups were held), each with what later events taught."""
    who, records = days["who"], days["day4_sending"]
    assert len(records) == 6
    assert all(
        r["sequence_id"] and r["sent_date"] and r["evidence_record"] for r in records.values()
    )
    interested = records[who["interested"]["prospect_id"]]
    assert interested["reply_status"] == "Interested"
    assert interested["crm_stage"] == days["day4_pipeline"]["crm_stage"]
    assert interested["next_action"] == days["day4_pipeline"]["next_action"]
    optout = records[who["optout"]["prospect_id"]]
    assert optout["reply_status"] == "Unsubscribe"
    assert optout["suppression_status"] != "not suppressed"
    assert records[who["bounced"]["prospect_id"]]["reply_status"] == "Bounce"
    for key in ("quiet", "quiet2"):
        quiet = records[who[key]["prospect_id"]]
        assert (
            quiet["reply_status"] == "No Reply" and quiet["suppression_status"] == "not suppressed"
        )


def test_day5_a_win_and_a_no_show_against_a_hand_count(days):
    """The whole pilot counted by hand: 6 sent; 1 hard bounce; 1 opt-out; 1 positive reply
    (Interested); 2 bookings (the interested prospect on day 3, a quiet one on day 5);
    1 meeting held and 1 no-show; 1 proposal worth 12,000; 1 win worth 12,000, no loss."""
    who, t = days["who"], days["day5"]["totals"]
    counted = {
        "messages_sent": 6,
        "hard_bounces": 1,
        "unsubscribes": 1,
        "positive_replies": 1,
        "bookings": 2,
        "shows": 1,
        "no_shows": 1,
        "proposals": 1,
        "wins": 1,
        "losses": 0,
        "revenue": 12000,
    }
    assert {k: t[k] for k in counted} == counted
    assert t["show_rate"] == pytest.approx(1 / 2)  # shows / (shows + no-shows)
    assert t["close_rate"] == pytest.approx(1.0)  # wins / (wins + losses)
    assert t["bounce_rate"] == pytest.approx(1 / 6) and t["booking_rate"] == pytest.approx(2 / 6)
    won = days["day5"]["pipeline"][who["interested"]["prospect_id"]]
    assert (won["crm_stage"], won["outcome"]) == ("Closed Won", "won")
    assert "signed-order-77" in won["stage_evidence_ref"]
    missed = days["day5"]["states"][who["quiet2"]["prospect_id"]]
    assert missed["state"] == "Human Review Required" and missed["crm_stage"] == "Booked"
