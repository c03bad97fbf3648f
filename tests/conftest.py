"""Shared fixtures. Time in tests is the run date, never the wall clock."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from filelock import FileLock

from core.config import OutreachConfig, load_config
from core.workspace import Workspace
from demo.generator import EXAMPLE_CONFIG

AS_OF = date(2026, 11, 24)
REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO.parent / "shared" / "corpora"

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
# GX Data Docs are rebuilt by one test of their own (tests/integration/test_gx_suites.py)
os.environ["OUTREACH_DATA_DOCS"] = "0"
# Runs in tests record their events in an in-memory Dagster instance: the workspace's
# persistent one (SQLite) costs ~10 s of event writes per `outreach run`; one test
# (tests/e2e/test_why_not_drafted.py) runs with it and finds its run there.
os.environ.pop("DAGSTER_HOME", None)
os.environ["OUTREACH_RUN_HISTORY"] = "memory"
# drafting asks no language model unless a test starts its own stand-in server
for _name in ("OUTREACH_LLM_BASE_URL", "OUTREACH_LLM_API_KEY", "OUTREACH_LLM_MODEL"):
    os.environ.pop(_name, None)


@pytest.fixture
def as_of() -> date:
    return AS_OF


@pytest.fixture(scope="session")
def config() -> OutreachConfig:
    return load_config(EXAMPLE_CONFIG)


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    """An empty workspace with the example configuration."""
    ws = Workspace(tmp_path / "ws").create()
    for path in EXAMPLE_CONFIG.glob("*.yml"):
        shutil.copyfile(path, ws.config_dir / path.name)
    return ws


# The demo workspace most end-to-end tests start from: generated and run once per test
# session (1,500 leads, seed 13, run date AS_OF), shared by every pytest-xdist worker.
BUILT_LEADS, BUILT_SEED = 1500, 13


def _build_demo_once(root: Path | str) -> Path:
    """Build the shared demo workspace under `root` unless a process got there first: the
    first to take the lock builds, the others wait for it and share what it built."""
    root = Path(root)
    home, done = root / "built-demo" / "ws", root / "built-demo" / "done"
    with FileLock(str(root / "built-demo.lock")):
        if not done.exists():
            from tests.warehouse import demo_workspace

            if home.exists():  # a build that failed half-way in an earlier process
                shutil.rmtree(home)
            demo_workspace(home, leads=BUILT_LEADS, seed=BUILT_SEED)
            done.write_text("built\n")
    return home


def _uses_built_demo(args: list[str]) -> bool:
    """Whether a session over these paths reaches a test of the built demo (the e2e,
    integration and adversarial folders hold them)."""
    paths = [Path(a.split("::")[0]).resolve() for a in args] or [REPO / "tests"]
    wanted = [REPO / "tests" / d for d in ("e2e", "integration", "adversarial")]
    return any(p == REPO / "tests" or p == REPO or any(p.is_relative_to(w) for w in wanted)
               for p in paths)  # fmt: skip


def pytest_sessionstart(session) -> None:
    """Under pytest-xdist the controller starts building the shared demo workspace in a
    process of its own as the session starts, so no worker sits idle for the minute it
    takes: the workers run other modules meanwhile and wait only if they need it sooner."""
    config = session.config
    if hasattr(config, "workerinput") or not getattr(config.option, "numprocesses", None):
        return
    if not _uses_built_demo(config.args):
        return
    root = config._tmp_path_factory.getbasetemp()  # each worker's basetemp is inside it
    code = f"from tests.conftest import _build_demo_once; _build_demo_once({str(root)!r})"
    with open(root / "built-demo.log", "wb") as log:
        config._built_demo_builder = subprocess.Popen(
            [sys.executable, "-c", code], cwd=REPO, stdout=log, stderr=subprocess.STDOUT
        )


# Under pytest-xdist (--dist loadscope) a module runs whole on one worker, handed out in
# the order collected: the heaviest first, so no worker is left with a long one at the
# end while the other idles. Seconds measured on this 2-core machine (CI, 2026-12-01);
# a module not listed is light and keeps its place after these.
HEAVY_MODULES = {
    "tests/integration/test_send_job.py": 134,
    "tests/e2e/test_multi_day_funnel.py": 108,
    "tests/adversarial/test_faults.py": 103,
    "tests/e2e/test_data_subject_rights.py": 54,
    "tests/e2e/test_incremental_identity.py": 53,
    "tests/e2e/test_ui.py": 52,
    "tests/e2e/test_reply_tasks.py": 45,
    "tests/e2e/test_retention.py": 42,
    "tests/e2e/test_reactivation.py": 40,
    "tests/integration/test_launch_readiness.py": 39,
    "tests/e2e/test_proposal_follow_up.py": 38,
    "tests/e2e/test_governance_marts.py": 37,
    "tests/adversarial/test_hostile_review_and_send.py": 35,
    "tests/integration/test_model_drafting.py": 32,
    "tests/e2e/test_stop_signals.py": 32,
    "tests/e2e/test_postgres_target.py": 30,
    "tests/e2e/test_pilot_walk.py": 28,
    "tests/e2e/test_review_workflow.py": 27,
    "tests/e2e/test_model_drafting_run.py": 26,
    "tests/integration/test_gx_worker.py": 19,
    "tests/e2e/test_why_not_drafted.py": 13,
    "tests/e2e/test_daily_job.py": 13,
    "tests/e2e/test_identity_rules.py": 12,
    "tests/e2e/test_inbound_fast_path.py": 12,
}


def pytest_collection_modifyitems(items) -> None:
    def weight(item) -> int:
        return -HEAVY_MODULES.get(item.path.relative_to(REPO).as_posix(), 0)

    items.sort(key=weight)  # stable: a module's tests keep their order


def pytest_sessionfinish(session) -> None:
    builder = getattr(session.config, "_built_demo_builder", None)
    if builder is not None and builder.poll() is None:  # the session ended before it did
        builder.kill()
        builder.wait()


@pytest.fixture(scope="session")
def built_demo(tmp_path_factory, worker_id) -> Path:
    """`outreach generate` then `outreach run`, once for the whole session (started by the
    controller at the session's start under pytest-xdist, or by the first test to ask).
    Read it, never write to it: a test that writes takes `copy_of(built_demo, folder)`."""
    base = tmp_path_factory.getbasetemp()
    return _build_demo_once(base.parent if worker_id != "master" else base)


def copy_of(home: Path, to: Path) -> Path:
    """A private copy of a built workspace, for a test that writes to it."""
    shutil.copytree(home, to)
    return to
