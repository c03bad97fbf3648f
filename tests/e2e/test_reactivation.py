"""Reactivation, through the real pipeline: a team adds a reactivation campaign to its
config (a Reactivation message; Not Now past its review date, Closed Lost after 60 days).
It reaches the people whose conversation paused and nobody else: one lost 84 days ago at
once, one who said Not Now "until 25 November" once that date has come, never one whose
review date is still ahead, never one who never replied. The old Not Now does not hold
the new campaign's message at the gate; it goes out over SMTP."""

from datetime import UTC, datetime

import pytest
import yaml

from dagster_project.cli import main
from tests.arrivals import land_events, write_reply
from tests.conftest import AS_OF, copy_of
from tests.review_and_send import approve, send_live
from tests.smtp_server import SmtpServer
from tests.warehouse import warehouse_sql as sql

pytestmark = pytest.mark.e2e
DAY1 = AS_OF.isoformat()  # 2026-11-24
DAY3 = "2026-11-26"
CAMPAIGN = "reactivate_uk"


def add_reactivation_campaign(home) -> None:
    """What a team writes: a one-step Reactivation sequence and a campaign like its pilot."""
    sequences = home / "config" / "sequences.yml"
    data = yaml.safe_load(sequences.read_text())
    data["sequences"].append(
        {
            "sequence_id": "reactivation_email_1",
            "purpose": "Reopen a paused conversation with current context",
            "channel": "email",
            "max_steps": 2,
            "steps": [
                {
                    "step": 1,
                    "message_type": "Reactivation",
                    "purpose": "Reopen with one current observation",
                    "wait_days": 0,
                    "subject": "Picking up where we left off, {{ company_name }}",
                    "body": "Hi {{ first_name }},\n\nWhen we last spoke the timing was not "
                    "right. One thing I noticed since: {{ evidence | lower }}.\n\n{{ cta }}",
                    "cta_id": "reply_yes",
                },
                {
                    "step": 2,
                    "message_type": "Closeout",
                    "purpose": "End respectfully",
                    "wait_days": 7,
                    "subject": "Closing the loop, {{ company_name }}",
                    "body": "Hi {{ first_name }},\n\nI will not write again about this. "
                    "If it becomes useful later, a reply is all it takes.\n\n{{ cta }}",
                    "cta_id": "reply_yes",
                },
            ],
        }
    )
    sequences.write_text(yaml.safe_dump(data, sort_keys=False))
    campaigns = home / "config" / "campaigns.yml"
    data = yaml.safe_load(campaigns.read_text())
    pilot = next(c for c in data["campaigns"] if c["campaign_id"] == "diag_uk_email_pilot")
    data["campaigns"].append(
        pilot
        | {
            "campaign_id": CAMPAIGN,
            "name": "UK reactivation",
            "sequence_id": "reactivation_email_1",
            "min_gap_seconds": 0,
            "experiments": [],
            "reactivation": {"not_now": True, "closed_lost_after_days": 60},
        }
    )
    campaigns.write_text(yaml.safe_dump(data, sort_keys=False))


def reply(home, name: str, draft: dict, words: str) -> None:
    at = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    in_reply_to = f"<{draft['communication_id']}@mwms.example>"
    write_reply(home, name, draft["recipient"], draft["subject"], in_reply_to, words, at)


def lost(home, recipient: str) -> None:
    land_events(
        home,
        [
            {
                "event_ref": "LOST-1",
                "event_type": "deal_lost",
                "occurred_at": "2026-09-01T12:00:00Z",
                "email": recipient,
                "evidence_ref": "crm-opportunity-41",
            }
        ],
        "crm-lost",
    )


def reactivation_drafts(home) -> dict[str, dict]:
    rows = sql(
        home, f"select * from drafting.drafts where campaign_id = '{CAMPAIGN}' order by all"
    ).to_dicts()
    return {r["prospect_id"]: r for r in rows}


def test_a_reactivation_campaign_reaches_paused_conversations_only(
    built_demo, tmp_path, monkeypatch
):
    home = copy_of(built_demo, tmp_path / "ws")
    people = sql(
        home,
        """select communication_id, prospect_id, recipient, subject from drafting.drafts
           where campaign_id = 'diag_uk_email_pilot' and step = 1 and lint_passed
           order by prospect_id limit 3""",
    ).to_dicts()
    not_now_due, not_now_later, never_replied = people[0], people[1], people[2]
    # lost in September: someone the pilot has not drafted yet (a candidate over the day's
    # cap), so the CRM's history and ours agree on what came first
    [lost_long_ago] = sql(
        home,
        """select c.prospect_id, p.email as recipient from marts.draft_candidates c
           inner join marts.prospects p using (prospect_id)
           where c.campaign_id = 'diag_uk_email_pilot' and p.email is not null
             and c.prospect_id not in (select prospect_id from drafting.drafts)
           order by c.prospect_id limit 1""",
    ).to_dicts()
    add_reactivation_campaign(home)
    reply(home, "nn-due", not_now_due, "Not right now. Please try us again after 25 November.")
    reply(home, "nn-later", not_now_later, "Not now, maybe next year. Try again in March.")
    lost(home, lost_long_ago["recipient"])

    assert main(["run", "--home", str(home), "--as-of", DAY1]) == 0
    pool = sql(home, "select * from intermediate.int_reactivation_pool").to_dicts()
    assert {r["prospect_id"]: r["reactivated_because"] for r in pool} == {
        lost_long_ago["prospect_id"]: "Closed Lost on 2026-09-01"
    }
    drafts = reactivation_drafts(home)
    assert set(drafts) <= {lost_long_ago["prospect_id"]}
    audience = set(
        sql(
            home,
            f"select prospect_id from intermediate.int_campaign_audience "
            f"where campaign_id = '{CAMPAIGN}'",
        )["prospect_id"]
    )
    assert audience == {lost_long_ago["prospect_id"]}

    # two days on: the Not Now whose review date came is reopened, with a Reactivation
    assert main(["run", "--home", str(home), "--as-of", DAY3]) == 0
    drafts = reactivation_drafts(home)
    assert not_now_due["prospect_id"] in drafts
    assert not_now_later["prospect_id"] not in drafts
    assert never_replied["prospect_id"] not in drafts
    draft = drafts[not_now_due["prospect_id"]]
    assert draft["message_type"] == "Reactivation" and draft["step"] == 1
    assert draft["lint_passed"] and "timing was not right" in draft["body"]
    # the paused pair keeps its own history: the pilot campaign does not draft them again
    pilot = sql(
        home,
        "select count(*) as n from drafting.drafts where campaign_id = 'diag_uk_email_pilot' "
        f"and prospect_id = '{not_now_due['prospect_id']}'",
    )["n"][0]
    assert pilot == 0

    # approved, it is queued and sent: the old Not Now does not hold the new campaign
    approve(home, [draft["review_token"]], DAY3, at=f"{DAY3}T09:00:00")
    assert main(["run", "--home", str(home), "--as-of", DAY3]) == 0
    queued = sql(
        home, f"select communication_id from marts.send_queue where campaign_id = '{CAMPAIGN}'"
    )
    assert draft["communication_id"] in queued["communication_id"].to_list()
    with SmtpServer() as server:
        assert send_live(home, server, monkeypatch, DAY3, f"{DAY3}T10:00:00+00:00") == 0
    sent = {m["X-Communication-ID"] for m in server.received}
    assert draft["communication_id"] in sent
