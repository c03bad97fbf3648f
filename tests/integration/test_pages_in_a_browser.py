"""The HTML the project writes, opened in a real headless browser: payloads in the data
never run, and nothing is fetched from the network (Data Docs included)."""

import pandas as pd
import pytest

from checks import gx_worker
from checks.expectations import SUITES, run_suite
from checks.gx_validation import DOCS_DIR, offline_pages
from tests.adversarial.corpus import PAYLOADS
from tests.browser import dom_after_scripts, scripts_ran

pytestmark = pytest.mark.integration

RAW_LEADS = next(s for s in SUITES if s.asset == ("raw", "leads"))


def test_the_browser_check_sees_a_script_that_runs(tmp_path):
    """The detector itself: a page that runs a payload is caught, the same page under the
    Data Docs policy is not."""
    page = tmp_path / "unsafe.html"
    page.write_text(f"<html><head></head><body>{PAYLOADS[-3]}{PAYLOADS[-2]}</body></html>")
    assert scripts_ran(page)
    offline_pages(tmp_path)
    assert not scripts_ran(page)


def test_data_docs_with_payloads_in_every_reported_column_run_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("OUTREACH_DATA_DOCS", "1")
    columns = {name for _, kwargs in RAW_LEADS.expectations for name in [kwargs.get("column")]}
    columns.discard(None)
    rows = [{name: payload for name in RAW_LEADS.columns} for payload in PAYLOADS]
    frame = pd.DataFrame(rows, columns=list(RAW_LEADS.columns))
    assert columns <= set(frame.columns)
    result = run_suite(RAW_LEADS, frame, tmp_path)
    assert not result.passed  # the payloads break the suite: they are reported
    gx_worker.settle()
    pages = sorted((tmp_path / DOCS_DIR).rglob("*.html"))
    assert len(pages) >= 3
    for page in pages:
        text = page.read_text()
        # offline: nothing loaded from a CDN or a bucket
        assert 'src="https://' not in text and 'href="https://cdn' not in text, page
        assert not scripts_ran(page), page
        # no value of a failing row is in the page (counts only)
        assert "PWNED" not in text and "onerror" not in text, page
    index = dom_after_scripts(tmp_path / DOCS_DIR / "index.html")
    assert "raw.leads" in index or "leads" in index
