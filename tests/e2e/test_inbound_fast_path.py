"""A web-form lead does not wait for tomorrow: `outreach inbound-leads` ingests the new
form file and drafts an answer to what the person asked, in the review queue, without the
rest of the daily build (no briefs, reports or handoffs). The draft quotes their inquiry
(the evidence point drafting chooses first) and passes lint even when they asked a
question; suppression still decides."""

import json

import pytest

from dagster_project.cli import main
from tests.conftest import AS_OF, copy_of
from tests.warehouse import warehouse_sql as sql

pytestmark = pytest.mark.e2e
NEXT_DAY = "2026-11-25"
ASKED = "Could you look at why people abandon our booking form?"


def test_the_demo_answers_what_web_form_leads_asked(built_demo):
    """On the daily run too: a candidate whose evidence point is their inquiry is
    answered, quoting it, and the draft passes lint."""
    rows = sql(
        built_demo,
        """select d.body, d.lint_passed, c.evidence_observation
           from drafting.drafts d inner join marts.draft_candidates c
               using (prospect_id, campaign_id)
           where c.evidence_category = 'inquiry' and d.step = 1 and d.channel = 'email'""",
    ).to_dicts()
    assert rows
    for r in rows:
        assert f'You wrote: "{r["evidence_observation"]}"' in r["body"] and r["lint_passed"]


def test_a_new_form_lead_is_drafted_for_by_the_narrow_path(built_demo, tmp_path):
    home = copy_of(built_demo, tmp_path / "ws")
    # a colleague of a drafted web-form prospect fills in the form
    [known] = sql(
        home,
        """select p.company_name, p.company_domain, p.country, p.role
           from drafting.drafts d inner join marts.prospects p using (prospect_id)
           where d.campaign_id = 'diag_uk_email_pilot' and p.source_id = 'web_form'
           order by d.prospect_id limit 1""",
    ).to_dicts()
    lead = {
        "source_id": "web_form",
        "source_record": "WEB-NEW-1",
        "captured_on": NEXT_DAY,
        "first_name": "Robin",
        "last_name": "Okafor",
        "email": f"robin.okafor@{known['company_domain']}",
        "company_name": known["company_name"],
        "company_website": known["company_domain"],
        "role": known["role"],
        "country": known["country"],
        "form_answer": ASKED,
    }
    (home / "landing" / "leads" / "web_form_new.jsonl").write_text(json.dumps(lead) + "\n")
    assert main(["inbound-leads", "--home", str(home), "--as-of", NEXT_DAY]) == 0

    [draft] = sql(
        home,
        f"""select d.* from drafting.drafts d inner join marts.prospects p using (prospect_id)
            where p.email = '{lead["email"]}' and d.campaign_id = 'diag_uk_email_pilot'""",
    ).to_dicts()
    assert f'You wrote: "{ASKED}"' in draft["body"]
    assert draft["lint_passed"], draft["lint_failures"]
    queued = sql(
        home,
        f"select count(*) as n from marts.review_queue where review_token = "
        f"'{draft['review_token']}'",
    )["n"][0]
    assert queued == 1
    exports = home / "exports"
    assert (exports / "review" / NEXT_DAY / "review_queue.xlsx").exists()
    # the narrow path built nothing the queue does not need
    assert not (exports / "briefs" / NEXT_DAY).exists()
    assert not (exports / "reports" / NEXT_DAY).exists()
    assert (exports / "reports" / AS_OF.isoformat()).exists()  # the full run's, untouched
