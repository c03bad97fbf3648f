"""Prospect Intelligence Briefs: facts apart from inference, and every value inert in a browser."""

import re

import duckdb
import pytest

from assets.exports.briefs import write_briefs

pytestmark = pytest.mark.integration

PAYLOAD = '<script>alert(1)</script><img src=x onerror="alert(2)">'


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute(
        f"""create table marts.prospects as select
            'pr_1' as prospect_id, 'Ann' as first_name, '{PAYLOAD}' as last_name,
            '{PAYLOAD}' as company_name, 'x.example' as company_domain, 'Owner' as role,
            'GB' as country, 'Priority One' as best_priority, false as has_existing_relationship,
            'web_form' as source_id, 'Inbound Request' as permission_type,
            'Inbound Request' as email_lawful_basis, null as email_blocked_reason,
            'email' as permitted_channels, null as suppression_scopes, 'Verified' as
            identity_status,
            true as has_live_signal"""
    )
    con.execute(
        f"""create table marts.draft_candidates as select
            'pr_1' as prospect_id, 'diag' as campaign_id, 'email' as channel,
            'Priority One' as priority, 'role fit (score 70)' as priority_reasons,
            'Inbound Request' as lawful_basis, '{PAYLOAD}' as evidence_observation, 'ev_f' as
            evidence_id"""
    )
    con.execute("create table marts.review_queue as select 'pr_1' as prospect_id")
    con.execute(
        """create table marts.prospect_evidence (prospect_id varchar, evidence_id varchar,
            evidence_class varchar, observation varchar, source_name varchar, source_url varchar,
            source_on date, confidence double, is_safe_to_mention boolean,
            is_human_review_required boolean, unsafe_reason varchar)"""
    )
    con.execute(
        """insert into marts.prospect_evidence values
        ('pr_1', 'ev_f', 'Verified Fact', 'FACT-ONE', 'site', 'https://x.example', '2026-11-01',
        0.9, true, false, null),
        ('pr_1', 'ev_i', 'AI Inference', 'INFERENCE-ONE', 'model', null, '2026-11-02', 0.6, false,
        true, 'never mentionable: AI Inference')"""
    )
    return con


def test_briefs_keep_inference_apart_and_escape_every_value(con, tmp_path):
    [path] = write_briefs(con, tmp_path, "2026-11-24")
    html = path.read_text()
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    sections = dict(re.findall(r"<h2>([^<]+)</h2>\s*(.*?)(?=<h2>|\Z)", html, re.S))
    assert "FACT-ONE" in sections["Verified facts"]
    assert "INFERENCE-ONE" in sections["Unverified inferences"]
    assert "INFERENCE-ONE" not in sections["Verified facts"] + sections["Public observations"]
    assert "never mentionable: AI Inference" in sections["Unverified inferences"]
    index = (tmp_path / "index.html").read_text()
    assert 'href="pr_1.html"' in index and "<script" not in index
