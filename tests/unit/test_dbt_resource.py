"""The dbt resource skips dagster-dbt's `dbt --version` subprocess and in-process adapter
through two private hooks: these tests fail if dagster-dbt stops calling them (the
override would then save nothing) or if the version read in process is not the CLI's."""

import inspect
import re
import subprocess
import sys
from pathlib import Path

from dagster_dbt import DbtCliResource

from core.dbt_project import DBT_PROJECT_DIR
from dagster_project.resources import DbtResource

DBT = str(Path(sys.executable).parent / "dbt")
ADAPTER_CALLS: list[list[str]] = []


class RecordingDbtResource(DbtResource):
    def _initialize_dbt_core_adapter(self, args):
        ADAPTER_CALLS.append(list(args))
        return super()._initialize_dbt_core_adapter(args)


def test_version_read_in_process_is_the_cli_version():
    printed = subprocess.run([DBT, "--version"], capture_output=True, text=True, check=True)
    core = re.search(r"(\d+\.\d+\.\d+)", printed.stdout).group(1)
    resource = DbtResource(project_dir=str(DBT_PROJECT_DIR), dbt_executable=DBT)
    assert str(resource._cli_version) == core


def test_cli_goes_through_both_hooks_and_still_runs_dbt(tmp_path, monkeypatch):
    assert "self._cli_version" in inspect.getsource(DbtCliResource.cli)
    monkeypatch.setenv("OUTREACH_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    dbt = RecordingDbtResource(project_dir=str(DBT_PROJECT_DIR), dbt_executable=DBT)
    ADAPTER_CALLS.clear()
    invocation = dbt.cli(["parse", "--vars", '{"as_of": "2026-11-24"}'], target_path=tmp_path)
    invocation.wait()
    assert invocation.is_successful()
    assert ADAPTER_CALLS == [["parse", "--vars", '{"as_of": "2026-11-24"}']]
    assert invocation.adapter is None
    assert (tmp_path / "manifest.json").exists()
