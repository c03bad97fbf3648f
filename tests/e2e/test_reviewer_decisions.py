"""What a reviewer's Reject, Change CTA and Change Channel do to a pair, through the real
CLI: Reject ends it (Closed, CRM Rejected, no new draft); Change CTA redrafts with the
offer's next CTA and the new draft is back in the queue; Change Channel ends it in the
campaign with a task for the owner. No pair is left stuck with a draft nobody can see."""

import pytest

from dagster_project.cli import main
from tests.conftest import AS_OF, copy_of
from tests.review_and_send import decide
from tests.warehouse import warehouse_sql as sql

pytestmark = pytest.mark.e2e

CAMPAIGN = "diag_uk_email_pilot"
NEXT_DAY = "2026-11-25"


@pytest.fixture(scope="module")
def decided(built_demo, tmp_path_factory):
    home = copy_of(built_demo, tmp_path_factory.mktemp("decisions") / "ws")
    queue = sql(
        home,
        f"""select review_token, prospect_id, communication_id from marts.review_queue
            where campaign_id = '{CAMPAIGN}' and lint_passed order by review_token limit 3""",
    )
    tokens = queue["review_token"].to_list()
    before = sql(home, "select communication_id, cta_id, body from drafting.drafts")
    decide(
        home,
        dict(zip(tokens, ("Reject", "Change CTA", "Change Channel"), strict=True)),
        str(AS_OF),
        "three",
        at=f"{AS_OF}T10:00:00",
    )
    assert main(["run", "--home", str(home), "--as-of", NEXT_DAY]) == 0
    return home, queue.to_dicts(), {r["communication_id"]: r for r in before.to_dicts()}


def _pair(home, prospect):
    [row] = sql(
        home,
        f"""select s.state, s.state_reason, c.crm_stage, c.next_action
            from marts.sequence_states s join marts.crm_pipeline c using (prospect_id, campaign_id)
            where s.campaign_id = '{CAMPAIGN}' and s.prospect_id = '{prospect}'""",
    ).to_dicts()
    return row


def test_reject_ends_the_pair_and_drafts_nothing_more(decided):
    home, (rejected, _, _), _ = decided
    pair = _pair(home, rejected["prospect_id"])
    assert (pair["state"], pair["crm_stage"]) == ("Closed", "Rejected")
    who = rejected["prospect_id"]
    drafts = sql(
        home,
        f"select * from drafting.drafts where prospect_id = '{who}' and campaign_id = '{CAMPAIGN}'",
    )
    assert drafts.height == 0


def test_change_cta_redrafts_with_the_next_cta_and_the_draft_is_back_in_the_queue(decided):
    home, (_, changed, _), before = decided
    old = before[changed["communication_id"]]
    [new] = sql(
        home,
        f"select cta_id, body, review_token from drafting.drafts "
        f"where communication_id = '{changed['communication_id']}'",
    ).to_dicts()
    assert new["cta_id"] != old["cta_id"] and new["body"] != old["body"]
    queued = sql(home, "select review_token from marts.review_queue")["review_token"].to_list()
    assert new["review_token"] in queued
    assert _pair(home, changed["prospect_id"])["state"] == "Waiting For Approval"


def test_change_channel_hands_the_pair_to_the_owner(decided):
    home, (_, _, channel), _ = decided
    pair = _pair(home, channel["prospect_id"])
    assert pair["state"] == "Human Review Required"
    tasks = sql(
        home,
        f"select * from review.tasks where kind = 'change_channel' and prospect_id = "
        f"'{channel['prospect_id']}' and campaign_id = '{CAMPAIGN}'",
    )
    assert tasks.height == 1
    queued = sql(home, f"select * from marts.review_queue where prospect_id = "
                 f"'{channel['prospect_id']}' and campaign_id = '{CAMPAIGN}'")  # fmt: skip
    assert queued.height == 0
