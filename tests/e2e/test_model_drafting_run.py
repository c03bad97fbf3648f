"""A daily run with a language model configured, as a user sets it up: the three
variables pointing at an OpenAI-compatible server (the stand-in, on loopback). Clean model
drafts reach the review queue with each sentence's ground shown; hostile ones and a failing
server leave the template in their place with the reason; the run succeeds; a second run
of the same day asks nothing again for what passed and changes no approved content."""

import json
import zlib

import pytest
from openpyxl import load_workbook

from dagster_project.cli import main
from tests.conftest import AS_OF, copy_of
from tests.llm_server import HOSTILE_KINDS, StandInServer, clean_draft, hostile_draft
from tests.warehouse import warehouse_sql as sql

pytestmark = pytest.mark.e2e
DAY = AS_OF.isoformat()
MODEL = "model (openai-compatible)"


def kind_of(facts: dict) -> str:
    """Each person gets one treatment, fixed by their first name and company."""
    k = zlib.crc32(f"{facts['first_name']}|{facts['company_name']}".encode()) % 8
    return "clean" if k < 5 else "hostile" if k < 7 else "failing"


def behaviour(facts: dict, n: int) -> str | int:
    kind = kind_of(facts)
    if kind == "clean":
        return clean_draft(facts, n)
    if kind == "hostile":
        return hostile_draft(facts, HOSTILE_KINDS[n % len(HOSTILE_KINDS)])
    return 500


def test_a_run_with_a_model_drafts_through_review_and_survives_its_server(
    built_demo, tmp_path, monkeypatch
):
    home = copy_of(built_demo, tmp_path / "ws")
    with StandInServer(behaviour) as server:
        monkeypatch.setenv("OUTREACH_LLM_BASE_URL", server.base_url)
        monkeypatch.setenv("OUTREACH_LLM_API_KEY", "sk-local-test")
        monkeypatch.setenv("OUTREACH_LLM_MODEL", "stand-in-1")
        monkeypatch.setenv("OUTREACH_LLM_MAX_RETRIES", "0")  # no back-off waits here
        assert main(["run", "--home", str(home), "--as-of", DAY]) == 0
        first_calls = len(server.requests)
        drafts = sql(home, "select * from drafting.drafts where step > 0")
        facts = {
            json.loads(r["messages"][1]["content"])["first_name"]: kind_of(
                json.loads(r["messages"][1]["content"])
            )
            for r in server.requests
        }
        # the same day again: what passed is reused, word for word
        assert main(["run", "--home", str(home), "--as-of", DAY]) == 0
        again = sql(home, "select * from drafting.drafts where step > 0")
        second_calls = len(server.requests) - first_calls

    assert first_calls and facts
    by_model = drafts.filter(drafts["drafted_by"] == MODEL)
    templates = drafts.filter(drafts["drafted_by"] == "template")
    assert by_model.height and templates.height
    assert by_model["lint_passed"].all() and by_model["lint_ungrounded_statement"].all()
    assert by_model["prompt_hash"].null_count() == 0
    # a template in a model's place always says why
    asked = templates.filter(templates["prompt_hash"].is_not_null())
    assert asked.height and asked["model_fallback_reason"].null_count() == 0
    reasons = " ".join(asked["model_fallback_reason"].to_list())
    assert "refused by lint" in reasons and "InternalServerError" in reasons
    # every model call is on record
    [(recorded, refused)] = sql(
        home,
        "select count(*), count(*) filter (where outcome = 'refused by lint') "
        "from drafting.model_attempts",
    ).rows()
    assert refused > 0 and recorded >= by_model.height

    # the reviewer's page shows which ground each sentence rests on; the workbook says who
    # wrote each draft
    folder = home / "exports" / "review" / DAY
    page = next(p for p in folder.glob("*.html") if MODEL in p.read_text())
    html = page.read_text()
    assert "The model wrote" in html and "rests on" in html and "evidence " in html
    sheet = load_workbook(folder / "review_queue.xlsx")["review_queue"]
    header = [c.value for c in sheet[1]]
    written_by = {row[header.index("drafted_by")] for row in sheet.iter_rows(2, values_only=True)}
    assert MODEL in written_by and "template" in written_by

    # the second run asked only for what had no passing draft, and kept the content
    assert second_calls < first_calls
    # (a person whose turn came after the server had failed three times in a row was not
    # asked on the first run; on the second they may be)
    kept = set(by_model.select("communication_id", "content_hash").rows())
    now = set(
        again.filter(again["drafted_by"] == MODEL).select("communication_id", "content_hash").rows()
    )
    assert kept <= now
