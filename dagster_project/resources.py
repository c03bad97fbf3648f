"""The roof's own resource: dbt as this environment runs it. The warehouse and workspace
resources every stage declares live in core/resources.py."""

from __future__ import annotations

from functools import cached_property

from dagster_dbt import DbtCliResource
from packaging import version


class DbtResource(DbtCliResource):
    """dagster-dbt's dbt CLI resource without two costs a daily run does not need.

    dagster-dbt 0.28 asks `dbt --version` in a subprocess once per resource, that is once
    per run (2.3 s), and before every `dbt` command builds a dbt adapter in process,
    loading every macro (1.7 s, then 0.4 s), which it uses only for `fetch_row_counts()`
    and `fetch_column_metadata()`. The steps here use neither, and dbt-core is installed
    in this very environment, so its version is read from the package. Both are private hooks of
    `DbtCliResource` (pinned in
    requirements.lock); tests/unit/test_dbt_resource.py fails if they stop being called.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        from dbt.version import __version__

        return version.parse(__version__)

    def _initialize_dbt_core_adapter(self, args) -> None:
        return None
