"""The one module that owns the dbt project (path from __file__)."""

from pathlib import Path

from dagster_dbt import DbtProject

DBT_PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
# Only acts under `dagster dev`; everything else runs `python -m dagster_project.prepare` first.
dbt_project.prepare_if_dev()
