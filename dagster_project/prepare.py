"""Build step: write dbt's manifest.json (`python -m dagster_project.prepare`).

`@dbt_assets` reads the manifest at import, so the build prepares it; nothing
prepares it at import time, and target/ is never committed.
"""

from __future__ import annotations

import os
import sys

from core.dbt_project import DBT_PROJECT_DIR, dbt_project


def main() -> int:
    from dbt.cli.main import dbtRunner

    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    args = [
        "parse",
        "--quiet",
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
    ]
    result = dbtRunner().invoke(args)
    if not result.success:
        print(f"dbt parse failed: {result.exception}", file=sys.stderr)
        return 1
    print(f"dbt manifest ready: {dbt_project.manifest_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
