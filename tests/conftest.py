"""Shared fixtures. Time in tests is the run date, never the wall clock."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from dagster_project.config import OutreachConfig, load_config
from dagster_project.generator import EXAMPLE_CONFIG
from dagster_project.workspace import Workspace

AS_OF = date(2026, 11, 24)
REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO.parent / "shared" / "corpora"

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")


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
