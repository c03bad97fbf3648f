"""A language model drafts; the evidence decides. Through the real `openai` SDK against a
local OpenAI-compatible stand-in server (tests/llm_server.py) on loopback: hostile drafts
with planted defects never pass lint, clean ones mostly do, what leaves the workspace is
only what may be said, and a failing server never fails drafting."""

import itertools
import json
from datetime import date

import polars as pl
import pytest

from assets.drafting.drafts import render_drafts
from assets.drafting.model_writer import BREAKER_FAILURES, ModelWriter, writer_from_env
from core.grounding import Ground, check_sentences
from core.language_model import ModelSettings, OpenAICompatibleClient
from demo.generator import EVIDENCE
from tests.llm_server import HOSTILE_KINDS, StandInServer, clean_draft, hostile_draft

pytestmark = pytest.mark.integration

AS_OF = date(2026, 11, 24)
PEOPLE = (
    ("Tom", "Baker", "Harbour Dental"),
    ("Aoife", "Ní Bhriain", "Studio Nua"),
    ("Priya", "Shah", "Shah Physio Clinic"),
    ("Sam", "Lee", "Lee & Co Salon"),
)
# the evidence a message may mention (the demo's safe classes, not the sensitive one)
SAFE = [e for e in EVIDENCE if e[0] in ("Verified Fact", "Public Observation", "Derived Signal")]
SAFE = [e for e in SAFE if "bereavement" not in e[3]]
NO_HISTORY = pl.DataFrame(
    schema={"prospect_id": pl.String, "campaign_id": pl.String, "step": pl.Int64, "body": pl.String}
)


def _evidence(f: dict) -> str:
    text = (f.get("evidence") or {}).get("text") or ""
    return text[:1].lower() + text[1:]


def _claim(f: dict) -> str:
    return f" {f['claim']}" if f.get("claim") else ""


# Written after the grounding check and the stand-in's own styles were tuned, and not
# tuned on since: how a model might phrase a clean draft. Some are refused (a pleasantry
# with a time word, a verb nobody approved); the figure is in the closing note and README.
HELD_OUT = (
    lambda f: (
        f"Hi {f['first_name']},\n\nWhile looking through the {f['company_name']} website, "
        f"I noticed that {_evidence(f)}.{_claim(f)}\n\n{f['cta']}"
    ),
    lambda f: (
        f"Hi {f['first_name']},\n\nHope your week is going well. I spotted something on the "
        f"{f['company_name']} site: {_evidence(f)}.{_claim(f)}\n\n{f['cta']}"
    ),
    lambda f: (
        f"Hello {f['first_name']},\n\nI'm reaching out because {_evidence(f)}.{_claim(f)}"
        f"\n\n{f['cta']}"
    ),
    lambda f: (
        f"Hi {f['first_name']},\n\nI took a look at how {f['company_name']} handles online "
        f"bookings and noticed that {_evidence(f)}.{_claim(f)}\n\n{f['cta']}"
    ),
    lambda f: (
        f"Hi {f['first_name']},\n\nOne thing stood out when I visited the {f['company_name']} "
        f"website: {_evidence(f)}.{_claim(f)}\n\n{f['cta']}"
    ),
    lambda f: (
        f"Hi {f['first_name']},\n\nI noticed that {_evidence(f)} on the {f['company_name']} "
        f"site, and thought this might be relevant.{_claim(f)}\n\n{f['cta']}"
    ),
    lambda f: (
        f"Hi {f['first_name']},\n\nThanks for taking a moment to read this. "
        f"{_evidence(f).capitalize()}.{_claim(f)}\n\n{f['cta']}"
    ),
    lambda f: (
        f"Hi {f['first_name']},\n\nI'll keep this brief. I noticed that {_evidence(f)}."
        f"{_claim(f)}\n\n{f['cta']}"
    ),
    lambda f: (
        f"Hi {f['first_name']},\n\nSomething I noticed about {f['company_name']}: "
        f"{_evidence(f)}.{_claim(f)}\n\n{f['cta']}"
    ),
    lambda f: (
        f"Hi {f['first_name']},\n\nI came across the {f['company_name']} website today and "
        f"noticed that {_evidence(f)}.{_claim(f)}\n\n{f['cta']}"
    ),
    lambda f: (
        f"Hi {f['first_name']},\n\nI wanted to share a quick observation about "
        f"{f['company_name']}. {_evidence(f).capitalize()}.{_claim(f)}\n\n{f['cta']}"
    ),
    lambda f: (
        f"Hi {f['first_name']},\n\nI work with owner-led businesses on their booking journey, "
        f"and I noticed that {_evidence(f)}.{_claim(f)}\n\n{f['cta']}"
    ),
)


# A second held-out set, written after the first one was read and the connectives widened
# by what it showed (took, visited, observation, moment): not tuned on.
FRESH = (
    lambda f: (
        f"Hi {f['first_name']},\n\nI've been looking at booking pages for businesses like "
        f"{f['company_name']}, and noticed that {_evidence(f)}.{_claim(f)}\n\n{f['cta']}"
    ),
    lambda f: (
        f"Hi {f['first_name']},\n\nA small thing I noticed on your website: "
        f"{_evidence(f)}.{_claim(f)}\n\n{f['cta']}"
    ),
    lambda f: (
        f"Hi {f['first_name']},\n\n{_evidence(f).capitalize()}. I thought that was worth "
        f"a mention.{_claim(f)}\n\n{f['cta']}"
    ),
    lambda f: (
        f"Good morning {f['first_name']},\n\nI noticed that {_evidence(f)}.{_claim(f)}"
        f"\n\n{f['cta']}"
    ),
    lambda f: (
        f"Hi {f['first_name']},\n\nI'm writing because I noticed something on the "
        f"{f['company_name']} website: {_evidence(f)}.{_claim(f)}\n\n{f['cta']}"
    ),
    lambda f: (
        f"Hi {f['first_name']},\n\nFrom what I can see, {_evidence(f)}. If that is "
        f"useful context, here is what we do.{_claim(f)}\n\n{f['cta']}"
    ),
    lambda f: (
        f"Hi {f['first_name']},\n\nI had a look at {f['company_name']} online and "
        f"noticed that {_evidence(f)}.{_claim(f)}\n\nNo pressure at all. {f['cta']}"
    ),
    lambda f: f"Hey {f['first_name']},\n\nQuick one: {_evidence(f)}.{_claim(f)}\n\n{f['cta']}",
)


# A third set, written after the connectives were widened once more (greetings, context,
# plain verbs of looking and writing): not tuned on.
THIRD = (
    lambda f: (
        f"Hi {f['first_name']},\n\nI hope all is well at {f['company_name']}. I noticed "
        f"that {_evidence(f)}.{_claim(f)}\n\n{f['cta']}"
    ),
    lambda f: (
        f"Hi {f['first_name']},\n\nJust a short note. {_evidence(f).capitalize()}."
        f"{_claim(f)}\n\n{f['cta']}"
    ),
    lambda f: (
        f"Hi {f['first_name']},\n\nI was on the {f['company_name']} website earlier and "
        f"saw that {_evidence(f)}.{_claim(f)}\n\n{f['cta']}"
    ),
    lambda f: (
        f"Hi {f['first_name']},\n\nI'm getting in touch because {_evidence(f)}, and I "
        f"thought you might find an outside view helpful.{_claim(f)}\n\n{f['cta']}"
    ),
    lambda f: (
        f"Hello {f['first_name']},\n\nHere is something I noticed about "
        f"{f['company_name']}: {_evidence(f)}.{_claim(f)}\n\n{f['cta']}"
    ),
    lambda f: (
        f"Hi {f['first_name']},\n\nI noticed that {_evidence(f)}. Happy to share what "
        f"we look at, if helpful.{_claim(f)}\n\n{f['cta']}"
    ),
    lambda f: (
        f"Hi {f['first_name']},\n\nI came across {f['company_name']} while researching "
        f"local businesses and noticed that {_evidence(f)}.{_claim(f)}\n\n{f['cta']}"
    ),
    lambda f: (
        f"Hi {f['first_name']},\n\nI don't want to take up much of your time. "
        f"{_evidence(f).capitalize()}.{_claim(f)}\n\n{f['cta']}"
    ),
)


# A fourth set, written after the third was read and the second connective list added
# (outside, local, research, time, ...): not tuned on.
FOURTH = (
    lambda f: (
        f"Hi {f['first_name']},\n\nI was doing some research on local businesses and "
        f"noticed that {_evidence(f)}.{_claim(f)}\n\n{f['cta']}"
    ),
    lambda f: (
        f"Hi {f['first_name']},\n\nThanks for your time. While reviewing the "
        f"{f['company_name']} site I noticed that {_evidence(f)}.{_claim(f)}\n\n{f['cta']}"
    ),
    lambda f: (
        f"Hi {f['first_name']},\n\nI'll be brief: {_evidence(f)}. I thought it was worth "
        f"pointing out.{_claim(f)}\n\n{f['cta']}"
    ),
    lambda f: (
        f"Hello {f['first_name']},\n\nAn observation from the outside, for what it's worth: "
        f"{_evidence(f)}.{_claim(f)}\n\n{f['cta']}"
    ),
    lambda f: (
        f"Hi {f['first_name']},\n\nI appreciate you're busy, so just one point. "
        f"{_evidence(f).capitalize()}.{_claim(f)}\n\n{f['cta']}"
    ),
    lambda f: (
        f"Hi {f['first_name']},\n\nI noticed that {_evidence(f)} and wanted to mention it "
        f"in case it is useful.{_claim(f)}\n\nBest wishes. {f['cta']}"
    ),
    lambda f: (
        f"Hi {f['first_name']},\n\nI hope the week has started well. I noticed that "
        f"{_evidence(f)}.{_claim(f)}\n\n{f['cta']}"
    ),
    lambda f: (
        f"Hi {f['first_name']},\n\nI work with a handful of businesses like "
        f"{f['company_name']}, and noticed that {_evidence(f)}.{_claim(f)}\n\n{f['cta']}"
    ),
)


def candidates(config) -> pl.DataFrame:
    """Every person x safe evidence x campaign x step of the example config."""
    sequences = {s.sequence_id: s for s in config.sequences}
    rows = []
    combos = itertools.product(PEOPLE, SAFE, config.campaigns, (1, 2, 3, 4))
    for i, ((first, last, company), evidence, campaign, step) in enumerate(combos):
        if step > len(sequences[campaign.sequence_id].steps):
            continue
        rows.append(
            {
                "prospect_id": f"p{i}",
                "campaign_id": campaign.campaign_id,
                "evidence_id": f"ev{i}",
                "evidence_class": evidence[0],
                "evidence_observation": evidence[3],
                "evidence_source_on": date(2026, 11, 1),
                "first_name": first,
                "last_name": last,
                "company_name": company,
                "role": "Owner",
                "email": f"{first.lower()}@example.com",
                "source_id": None,
                "next_step": step,
                "experiment_id": None,
                "arm_id": None,
                "was_contacted": False,
            }
        )
    return pl.DataFrame(rows)


def draft_with(server, config, rows, attempts=3, retries=0, timeout=5.0):
    settings = ModelSettings(
        base_url=server.base_url,
        api_key="test-key",
        model="stand-in-1",
        timeout_seconds=timeout,
        max_retries=retries,
    )
    writer = ModelWriter(OpenAICompatibleClient(settings), max_attempts=attempts)
    log: list[dict] = []
    drafts = render_drafts(rows, pl.DataFrame(), NO_HISTORY, config, AS_OF, None, writer, log)
    return drafts, log


@pytest.mark.parametrize("kind", HOSTILE_KINDS)
def test_no_hostile_draft_passes_and_the_template_is_used_with_the_reason(config, kind):
    rows = candidates(config).gather_every(3)  # every campaign, step and person
    with StandInServer(lambda facts, n: hostile_draft(facts, kind)) as server:
        drafts, log = draft_with(server, config, rows)
    assert drafts.height == rows.height
    # every model draft was refused, asked for again twice, then the template was used
    assert {r["outcome"] for r in log} == {"refused by lint"}
    assert len(log) == 3 * rows.height == len(server.requests)
    assert (drafts["drafted_by"] == "template").all()
    assert (drafts["model_attempts"] == 3).all()
    assert drafts["model_fallback_reason"].str.starts_with("3 model drafts refused").all()
    # the template drafts are the project's own and carry no model text
    assert drafts["model_text"].null_count() == drafts.height
    # a retry tells the model why: the refused draft and the reasons
    retry = server.requests[1]["messages"]
    assert [m["role"] for m in retry] == ["system", "user", "assistant", "user"]
    assert "refused" in retry[-1]["content"]


def test_each_planted_defect_is_named_by_the_sentence_that_carries_it(config):
    rows = candidates(config).head(1)
    named = {}
    for kind in HOSTILE_KINDS:
        with StandInServer(lambda facts, n, kind=kind: hostile_draft(facts, kind)) as server:
            _, log = draft_with(server, config, rows, attempts=1)
        named[kind] = log[0]["detail"]
    assert all("ungrounded_statement" in detail for detail in named.values()), named
    assert "'Hi Sarah,'" in named["wrong first name"]
    assert "Calendly" in named["competitor name"]
    assert "37%" in named["invented statistic"]
    assert "guarantee" in named["guarantee"]


def test_clean_drafts_pass_tuned_and_held_out(config):
    rows = candidates(config)
    with StandInServer(lambda facts, n: clean_draft(facts, n)) as server:
        tuned, _ = draft_with(server, config, rows, attempts=1)
    # held out: each draft is one style, asked once (no second chance)
    styles = itertools.cycle(range(len(HELD_OUT)))
    with StandInServer(lambda facts, n: HELD_OUT[next(styles)](facts)) as server:
        held_out, log = draft_with(server, config, rows, attempts=1)
    fresh_styles = itertools.cycle(range(len(FRESH)))
    with StandInServer(lambda facts, n: FRESH[next(fresh_styles)](facts)) as server:
        fresh, _ = draft_with(server, config, rows, attempts=1)
    third_styles = itertools.cycle(range(len(THIRD)))
    with StandInServer(lambda facts, n: THIRD[next(third_styles)](facts)) as server:
        third, _ = draft_with(server, config, rows, attempts=1)
    third_rate = (third["drafted_by"] != "template").mean()
    fourth_styles = itertools.cycle(range(len(FOURTH)))
    with StandInServer(lambda facts, n: FOURTH[next(fourth_styles)](facts)) as server:
        fourth, _ = draft_with(server, config, rows, attempts=1)
    fourth_rate = (fourth["drafted_by"] != "template").mean()
    tuned_rate = (tuned["drafted_by"] != "template").mean()
    held_out_rate = (held_out["drafted_by"] != "template").mean()
    fresh_rate = (fresh["drafted_by"] != "template").mean()
    print(
        f"clean drafts passed at the first attempt: tuned {tuned_rate:.3f}, first held-out "
        f"set {held_out_rate:.3f}, second {fresh_rate:.3f}, third {third_rate:.3f}, fourth "
        f"(fresh) {fourth_rate:.3f}"
    )
    # measured: 1.000, 0.583, 0.792, 0.875 (each tuned on once read: 0.417, 0.542, 0.500
    # when fresh), 0.500 (fresh): a strict whitelist refuses harmless words it does not know
    # and every number, time or quantity word ("one", "handful", "the week has started");
    # a refused draft is asked for again with the words named, and the template is the floor
    assert tuned_rate == 1.0
    assert held_out_rate >= 0.55 and fresh_rate >= 0.75 and third_rate >= 0.85
    assert fourth_rate >= 0.45
    # a clean draft that passed is what the reviewer sees, signed and with the opt-out
    passed = held_out.filter(pl.col("drafted_by") != "template")
    assert passed["lint_passed"].all()
    emails = passed.filter(pl.col("channel") == "email")
    assert emails.height and emails["body"].str.contains('reply "stop"').all()
    # and it says which ground each sentence rests on
    sources = json.loads(passed["sentence_sources"][0])
    assert {s["rests_on"] for s in sources} & {"recipient", "connective"}
    assert any(s["rests_on"].startswith("evidence ev") for s in sources)


def test_a_refused_draft_asked_again_usually_recovers(config):
    """With the reasons given back, a second or third answer may pass: the stand-in answers
    each request in the next held-out style, as a model answers differently each time."""
    rows = candidates(config)
    styles = (*THIRD, *HELD_OUT)
    with StandInServer(lambda facts, n: styles[n % len(styles)](facts)) as server:
        drafts, _ = draft_with(server, config, rows, attempts=3)
    recovered = (drafts["drafted_by"] != "template").mean()
    print(f"clean drafts kept after up to 3 attempts (held out): {recovered:.3f}")
    assert recovered >= 0.85


def test_only_what_may_be_said_leaves_the_workspace(config):
    rows = candidates(config).head(4)
    with StandInServer(lambda facts, n: clean_draft(facts, n)) as server:
        draft_with(server, config, rows)
    assert len(server.requests) == 4
    for request, row in zip(server.requests, rows.iter_rows(named=True), strict=True):
        assert request["auth"] == "Bearer test-key" and request["model"] == "stand-in-1"
        facts = json.loads(request["messages"][1]["content"])
        assert set(facts) == {
            "first_name", "company_name", "evidence", "claim", "cta", "message_type",
            "purpose", "max_chars",
        }  # fmt: skip
        assert facts["first_name"] == row["first_name"]
        assert facts["evidence"]["text"] == row["evidence_observation"]
        assert facts["evidence"]["class"] == row["evidence_class"]
        sent = json.dumps(request)
        for private in (row["last_name"], row["email"], row["prospect_id"], row["evidence_id"]):
            assert private not in sent


def test_a_failing_server_falls_back_to_the_template_and_stops_being_asked(config):
    rows = candidates(config).head(8)
    with StandInServer(lambda facts, n: 503) as server:
        drafts, log = draft_with(server, config, rows, retries=1)
    assert drafts.height == 8 and (drafts["drafted_by"] == "template").all()
    assert drafts["lint_passed"].all()
    # each failed call was retried once by the SDK; after BREAKER_FAILURES failed drafts
    # the run stops asking
    assert len(server.requests) == BREAKER_FAILURES * 2
    assert [r["outcome"] for r in log] == ["server error"] * BREAKER_FAILURES
    reasons = drafts["model_fallback_reason"].to_list()
    assert all("InternalServerError" in r for r in reasons[:BREAKER_FAILURES])
    assert all("failed 3 calls in a row" in r for r in reasons[BREAKER_FAILURES:])


def test_a_rate_limit_is_retried_and_a_hanging_server_times_out(config):
    rows = candidates(config).head(2)
    # 429 on every first request of a draft, then a clean answer: the SDK retries it
    with StandInServer(lambda facts, n: 429 if n % 2 else clean_draft(facts, 0)) as server:
        drafts, _ = draft_with(server, config, rows, retries=2)
    assert (drafts["drafted_by"] == "model (openai-compatible)").all()
    assert len(server.requests) == 4
    with StandInServer(lambda facts, n: "hang") as server:
        drafts, log = draft_with(server, config, rows, timeout=0.5, retries=0)
    assert (drafts["drafted_by"] == "template").all()
    assert all("Timeout" in r["detail"] for r in log)


def test_the_same_facts_get_the_same_words_without_asking_again(config):
    rows = candidates(config).head(3)
    with StandInServer(lambda facts, n: clean_draft(facts, n)) as server:
        settings = ModelSettings(server.base_url, "k", "stand-in-1", 5.0, 0)
        writer = ModelWriter(OpenAICompatibleClient(settings))
        first = render_drafts(rows, pl.DataFrame(), NO_HISTORY, config, AS_OF, None, writer, [])
        writer.known = dict(zip(first["prompt_hash"], first["model_text"], strict=True))
        log: list[dict] = []
        again = render_drafts(rows, pl.DataFrame(), NO_HISTORY, config, AS_OF, None, writer, log)
    assert len(server.requests) == 3  # the second drafting asked nothing
    assert again["content_hash"].to_list() == first["content_hash"].to_list()
    assert {r["outcome"] for r in log} == {"reused"}


def test_templates_unless_all_three_variables_are_set():
    assert writer_from_env({}) is None
    assert writer_from_env({"OUTREACH_LLM_BASE_URL": "http://127.0.0.1:9/v1"}) is None
    writer = writer_from_env(
        {
            "OUTREACH_LLM_BASE_URL": "http://127.0.0.1:9/v1",
            "OUTREACH_LLM_API_KEY": "k",
            "OUTREACH_LLM_MODEL": "m",
        }
    )
    assert writer is not None and writer.client.model == "m"
    assert "k" not in repr(ModelSettings("u", "secret-key", "m"))


def test_a_campaign_set_to_templates_never_asks_the_model(config):
    rows = candidates(config).head(2)
    only_templates = config.model_copy(
        update={
            "campaigns": [c.model_copy(update={"drafting": "template"}) for c in config.campaigns]
        }
    )
    with StandInServer(lambda facts, n: clean_draft(facts, n)) as server:
        drafts, _ = draft_with(server, only_templates, rows)
    assert server.requests == [] and (drafts["drafted_by"] == "template").all()


def test_each_sentence_rests_on_its_ground():
    grounds = (
        Ground("evidence ev1 (Verified Fact, 2026-11-01)", "The booking page asks for 14 fields"),
        Ground("CTA reply_yes", "Would it be useful if I sent over the checklist?"),
        Ground("recipient", "Tom Harbour Dental"),
    )
    checks = check_sentences(
        "Hi Tom,\nI noticed the booking page asks for 14 fields. It has 20 fields at "
        "Acme.\nWould it be useful if I sent over the checklist?",
        grounds,
    )
    assert [(c.rests_on, c.unsupported) for c in checks] == [
        ("recipient", ()),
        ("evidence ev1 (Verified Fact, 2026-11-01)", ()),
        ("evidence ev1 (Verified Fact, 2026-11-01)", ("20", "Acme")),
        ("CTA reply_yes", ()),
    ]
