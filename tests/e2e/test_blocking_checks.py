"""Blocking checks stop a breach before anything downstream of it materialises (real Dagster
run)."""

import shutil

import pytest
from dagster import AssetKey, DagsterInstance

from core.workspace import Workspace
from dagster_project.definitions import defs
from tests.warehouse import warehouse_sql as sql

pytestmark = pytest.mark.e2e

AS_OF = "2026-11-24"
CANDIDATES = AssetKey(["marts", "draft_candidates"])
BRIEFS = AssetKey(["exports", "prospect_briefs"])


@pytest.fixture(scope="module")
def demo(built_demo):
    """The session's built demo workspace, read only (each test copies it)."""
    return built_demo


def run_selection(home, monkeypatch, keys):
    """Materialise just `keys` for the run date, as the Dagster UI does for a selection."""
    for name, value in Workspace.resolve(home).environment().items():
        monkeypatch.setenv(name, value)
    job = defs.resolve_implicit_global_asset_job_def()
    return job.execute_in_process(
        partition_key=AS_OF,
        asset_selection=keys,
        instance=DagsterInstance.ephemeral(),
        raise_on_error=False,
    )


@pytest.mark.parametrize("key", ["email", "domain"])
def test_a_suppression_reaching_a_candidate_fails_the_run_before_the_briefs(
    demo, tmp_path, monkeypatch, key
):
    """A suppression arrives after the prospect models were built (they are not re-run):
    the candidates mart still holds the prospect; the blocking check reads the raw
    suppression events directly, fails, and the briefs export never materialises."""
    home = tmp_path / key
    shutil.copytree(demo, home)
    [(email, domain)] = sql(
        home,
        "select p.email, p.company_domain from marts.draft_candidates c "
        "join marts.prospects p using (prospect_id) order by c.prospect_id limit 1",
    ).rows()
    landing = home / "landing" / "suppressions" / "late.csv"
    landing.write_text(
        "suppression_ref,email,domain,phone,reason,scope,scope_value,effective_at,requested_by\n"
        + f"LATE-1,{email if key == 'email' else ''},{domain if key == 'domain' else ''},,"
        + f"unsubscribe,global,,{AS_OF}T08:00:00Z,prospect\n"
    )
    # the suppression is ingested on its own (as a separate intake run would) ...
    assert run_selection(home, monkeypatch, [AssetKey(["raw", "suppressions"])]).success
    # ... then the candidates are rebuilt from the prospect models, which predate it
    result = run_selection(home, monkeypatch, [CANDIDATES, BRIEFS])
    assert not result.success
    checks = {
        (e.asset_check_key.name, e.passed)
        for e in result.get_asset_check_evaluations()
        if e.asset_key == CANDIDATES
    }
    materialised = {e.asset_key for e in result.get_asset_materialization_events()}
    assert BRIEFS not in materialised
    assert ("assert_no_suppressed_draft_candidate", False) in checks, checks


def test_without_a_breach_the_same_selection_materialises_the_briefs(demo, tmp_path, monkeypatch):
    home = tmp_path / "clean"
    shutil.copytree(demo, home)
    result = run_selection(home, monkeypatch, [CANDIDATES, BRIEFS])
    assert result.success
    assert BRIEFS in {e.asset_key for e in result.get_asset_materialization_events()}
    assert (home / "exports" / "briefs" / AS_OF / "index.html").exists()
