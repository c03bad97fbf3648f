"""Shared fixtures. Time in tests is the run date, never the wall clock."""

from __future__ import annotations

import os
import shutil
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


@pytest.fixture(scope="session")
def built_demo(tmp_path_factory, worker_id) -> Path:
    """`outreach generate` then `outreach run`, once for the whole session: the first worker
    to ask builds it under a file lock, the others wait and share it. Read it, never write
    to it: a test that writes takes `copy_of(built_demo, folder)`."""
    from tests.warehouse import demo_workspace

    base = tmp_path_factory.getbasetemp()
    root = base.parent if worker_id != "master" else base
    home, done = root / "built-demo" / "ws", root / "built-demo" / "done"
    with FileLock(str(root / "built-demo.lock")):
        if not done.exists():
            if home.exists():  # a build that failed half-way in an earlier worker
                shutil.rmtree(home)
            demo_workspace(home, leads=BUILT_LEADS, seed=BUILT_SEED)
            done.write_text("built\n")
    return home


def copy_of(home: Path, to: Path) -> Path:
    """A private copy of a built workspace, for a test that writes to it."""
    shutil.copytree(home, to)
    return to
