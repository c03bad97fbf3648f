"""Great Expectations suites: a bad frame fails with the expectation named; Data Docs are
written."""

import duckdb
import pandas as pd
import pytest

from checks import gx_worker
from checks.expectations import SUITES, run_suite, suite_frame
from checks.gx_validation import DOCS_DIR

pytestmark = pytest.mark.integration

CANDIDATES = next(s for s in SUITES if s.asset == ("marts", "draft_candidates"))


def candidates(**changes) -> pd.DataFrame:
    row = {
        "prospect_id": "pr_0123456789abcdef",
        "campaign_id": "diag",
        "channel": "email",
        "priority": "Priority One",
        "priority_reasons": "role fit (score 70)",
        "identity_status": "Verified",
        "evidence_id": "ev_1",
        "evidence_class": "Verified Fact",
        "lawful_basis": "Legitimate Interest (LIA-1)",
    }
    return pd.DataFrame([row, row | {"campaign_id": "other"} | changes])


def test_clean_candidates_pass_and_the_data_docs_are_built(tmp_path, monkeypatch):
    # the one test with Data Docs on (conftest switches them off for the rest)
    monkeypatch.setenv("OUTREACH_DATA_DOCS", "1")
    result = run_suite(CANDIDATES, candidates(), tmp_path)
    assert result.passed
    assert result.metadata["unsuccessful_expectations"].value == 0
    gx_worker.settle()  # the worker writes the pages after its answer; a run settles at its end
    assert (tmp_path / DOCS_DIR / "index.html").exists()


def test_data_docs_can_be_switched_off(tmp_path, monkeypatch):
    monkeypatch.setenv("OUTREACH_DATA_DOCS", "0")
    result = run_suite(CANDIDATES, candidates(), tmp_path)
    assert result.passed
    assert not (tmp_path / DOCS_DIR / "index.html").exists()


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"evidence_class": "AI Inference"}, "evidence_class"),
        ({"priority": "Parked"}, "priority"),
        ({"identity_status": "Conflicting"}, "identity_status"),
        ({"campaign_id": "diag"}, "column_list"),
        ({"lawful_basis": None}, "lawful_basis"),
    ],
)
def test_a_breach_fails_the_suite_naming_the_expectation(tmp_path, change, named):
    result = run_suite(CANDIDATES, candidates(**change), tmp_path)
    assert not result.passed
    failed = result.metadata["failed_expectations"].value
    assert len(failed) == 1 and named in failed[0], failed
    assert CANDIDATES.blocking and result.severity.value == "ERROR"


def test_a_raw_suite_validates_the_run_dates_arrivals(tmp_path):
    leads = next(s for s in SUITES if s.asset == ("raw", "leads"))
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.sql("create schema raw")
    con.sql(
        "create table raw.leads (lead_record_id varchar, source_id varchar, email_normalised"
        " varchar, phone_e164 varchar, country varchar, _as_of date)"
    )
    con.sql(
        "insert into raw.leads values ('r1', 's', 'a@b.example', null, 'GB', '2026-11-23'), ('r2', "
        "null, 'not an email', null, 'GB', '2026-11-23'), ('r3', 's', 'c@d.example', "
        "'+442071838750', 'DE', '2026-11-24')"
    )
    today = suite_frame(con, leads, "2026-11-24")
    assert list(today["lead_record_id"]) == ["r3"]
    assert run_suite(leads, today, tmp_path).passed
    yesterday = run_suite(leads, suite_frame(con, leads, "2026-11-23"), tmp_path)
    assert not yesterday.passed and yesterday.metadata["rows"].value == 2
    assert len(suite_frame(con, leads, None)) == 3
    marts = next(s for s in SUITES if s.asset == ("marts", "prospects"))
    assert not marts.arrivals_only
