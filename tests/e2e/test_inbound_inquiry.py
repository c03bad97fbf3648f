"""What a person asked us on a form is read, not kept unread in `extra`: a lead from an
inbound form or website inquiry carries its `inquiry` (a form's `form_answer`, `message`
or `Your message` column), and it becomes the person's own evidence (class Verified Fact,
category inquiry, dated the day captured): in marts.prospect_evidence and their brief,
about them and never about a colleague at the same company."""

import html
import json

import pytest

from tests.warehouse import warehouse_sql as sql

pytestmark = pytest.mark.e2e


def test_a_form_answer_is_the_askers_own_evidence(built_demo):
    answers: dict[str, set[str]] = {}
    for line in (built_demo / "landing" / "leads" / "web_form.jsonl").read_text().splitlines():
        row = json.loads(line)
        if row.get("form_answer") and row.get("email"):
            answers.setdefault(row["source_record"], set()).add(row["form_answer"].strip())
    assert answers
    leads = sql(
        built_demo,
        """select l.source_record, l.inquiry, l.captured_on, p.prospect_id
           from staging.stg_raw__leads l inner join marts.prospects p on p.email = l.email_key
           where l.source_id = 'web_form' and l.inquiry is not null""",
    ).to_dicts()
    evidence = sql(
        built_demo,
        "select prospect_id, observation, evidence_class, source_on, is_safe_to_mention "
        "from marts.prospect_evidence where category = 'inquiry'",
    ).to_dicts()
    assert leads and evidence
    found = {(e["prospect_id"], e["observation"], e["source_on"]): e for e in evidence}
    for lead in leads:
        assert lead["inquiry"] in answers[lead["source_record"]]
        e = found[(lead["prospect_id"], lead["inquiry"], lead["captured_on"])]
        assert e["evidence_class"] == "Verified Fact"
    seen = {lead["source_record"]: lead | {"observation": lead["inquiry"]} for lead in leads}
    # the asker's alone: nobody else at their company has it
    [(others,)] = sql(
        built_demo,
        """select count(*) from marts.prospect_evidence e
           inner join marts.prospects p using (prospect_id)
           where e.category = 'inquiry' and e.evidence_id in (
               select evidence_id from marts.prospect_evidence group by evidence_id
               having count(distinct prospect_id) > 1)""",
    ).rows()
    assert others == 0
    # the briefs of the prospects that have one (candidates) show it
    briefs = {b.stem: b for b in (built_demo / "exports" / "briefs").glob("*/pr_*.html")}
    shown = [lead for lead in seen.values() if lead["prospect_id"] in briefs]
    assert shown
    for lead in shown:
        assert html.escape(lead["observation"]) in briefs[lead["prospect_id"]].read_text()
