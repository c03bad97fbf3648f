"""The dbt unit tests (models' logic on hand-written inputs, in the models' YAML) run here,
once, and never in a production build (`--exclude-resource-type unit_test` there)."""

import json

import pytest

from tests.conftest import copy_of
from tests.warehouse import run_dbt

pytestmark = pytest.mark.e2e


def test_every_dbt_unit_test_passes(built_demo, tmp_path):
    home = copy_of(built_demo, tmp_path / "ws")
    done = run_dbt(home, "test", "test_type:unit")
    assert done.returncode == 0, done.stdout[-3000:]
    results = json.loads((home / "dbt_target" / "run_results.json").read_text())["results"]
    unit = [r for r in results if r["unique_id"].startswith("unit_test.")]
    manifest = json.loads((home / "dbt_target" / "manifest.json").read_text())
    assert len(unit) == len(manifest["unit_tests"]) >= 4
    assert all(r["status"] == "pass" for r in unit)


def test_production_builds_leave_the_unit_tests_out(built_demo):
    """The built workspace's run log holds both dbt steps' output: data tests, no unit test."""
    log = (built_demo / "logs" / "run-2026-11-24.log").read_text()
    assert " START test " in log
    assert "START unit_test" not in log
