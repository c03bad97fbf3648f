"""The UI as the README starts it: `dagster dev` (what `make dev` runs) with only
OUTREACH_HOME set, the real webserver and daemon; the code location loads and a daily
run launched through GraphQL (as the UI's Materialize button does) succeeds."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from dagster_project.instance import install_instance_yaml
from tests.conftest import copy_of
from tests.warehouse import warehouse_sql as sql

pytestmark = pytest.mark.e2e

BIN = Path(sys.executable).parent
LAUNCH = """mutation($p: ExecutionParams!) { launchRun(executionParams: $p) {
  __typename ... on LaunchRunSuccess { run { runId } } ... on PythonError { message } } }"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _graphql(port: int, query: str, variables: dict | None = None) -> dict:
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql", body, {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["data"]


def _wait(what, seconds: float, every: float = 2.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            got = what()
        except OSError:
            got = None
        if got:
            return got
        time.sleep(every)
    pytest.fail(f"timed out after {seconds} s")


def test_the_ui_loads_and_a_run_launched_from_it_succeeds(built_demo, tmp_path):
    home = copy_of(built_demo, tmp_path / "ws")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OUTREACH_", "DAGSTER_HOME"))}
    env |= {"OUTREACH_HOME": str(home), "DAGSTER_HOME": str(tmp_path / "dagster_home"),
            "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}"}  # fmt: skip
    (tmp_path / "dagster_home").mkdir()
    install_instance_yaml(tmp_path / "dagster_home")  # as `make dev` does
    ui = subprocess.Popen(
        [str(BIN / "dagster"), "dev", "-h", "127.0.0.1", "-p", str(port)],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        locations = "{ workspaceOrError { ... on Workspace { locationEntries { loadStatus " \
            "locationOrLoadError { __typename ... on PythonError { message } } } } } }"  # fmt: skip

        def loaded():
            entries = _graphql(port, locations)["workspaceOrError"]["locationEntries"]
            return entries if entries and entries[0]["loadStatus"] == "LOADED" else None

        [entry] = _wait(loaded, 240)
        assert entry["locationOrLoadError"]["__typename"] == "RepositoryLocation", entry
        before = sql(home, "select count(*) as n from raw.file_ledger")["n"][0]
        launched = _graphql(
            port,
            LAUNCH,
            {"p": {
                "selector": {"repositoryLocationName": "mwms_outreach",
                             "repositoryName": "__repository__", "jobName": "daily_job"},
                "executionMetadata": {
                    "tags": [{"key": "dagster/partition", "value": "2026-11-24"}]},
                "runConfigData": {},
            }},
        )["launchRun"]  # fmt: skip
        assert launched["__typename"] == "LaunchRunSuccess", launched
        run_id = launched["run"]["runId"]
        status = "{ runOrError(runId: " + json.dumps(run_id) + ") { ... on Run { status } } }"

        def finished():
            state = _graphql(port, status)["runOrError"]["status"]
            return state if state in ("SUCCESS", "FAILURE", "CANCELED") else None

        assert _wait(finished, 600, every=5) == "SUCCESS"
        # it ran on the workspace OUTREACH_HOME names, and the run is in the UI's history
        assert sql(home, "select count(*) as n from raw.file_ledger")["n"][0] == before
        assert (home / "exports" / "review" / "2026-11-24" / "review_queue.xlsx").exists()
    finally:
        os.killpg(ui.pid, signal.SIGTERM)
        try:
            ui.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(ui.pid, signal.SIGKILL)
