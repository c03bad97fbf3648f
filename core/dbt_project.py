"""The one module that owns the dbt project (path from __file__).

`dbt_project` (dagster-dbt's `DbtProject`) is made on first use: importing dagster-dbt
costs ~3 s, which a command that only needs the project's path (reading a seed, `outreach
explain`, `outreach --help`) should not pay."""

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the type only: the import itself is what is put off
    from dagster_dbt import DbtProject

DBT_PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"


@cache
def _dbt_project() -> "DbtProject":
    from dagster_dbt import DbtProject

    project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
    # Only acts under `dagster dev`; everything else runs `python -m dagster_project.prepare` first.
    project.prepare_if_dev()
    return project


def __getattr__(name: str) -> Any:
    if name == "dbt_project":
        return _dbt_project()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
