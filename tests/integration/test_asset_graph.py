"""A snapshot of the asset graph: an accidental change shows up in review.

Regenerate after an intended change: UPDATE_SNAPSHOTS=1 make test
"""

import os
from pathlib import Path

from dagster_project.definitions import defs

SNAPSHOT = Path(__file__).parent.parent / "snapshots" / "asset_graph.txt"


def describe_graph() -> str:
    graph = defs.resolve_asset_graph()
    lines = []
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        deps = ",".join(sorted(d.to_user_string() for d in node.parent_keys))
        lines.append(f"asset {key.to_user_string()} group={node.group_name} deps=[{deps}]")
    for check in sorted(
        graph.asset_check_keys, key=lambda c: (c.asset_key.to_user_string(), c.name)
    ):
        lines.append(f"check {check.asset_key.to_user_string()}:{check.name}")
    for job in sorted(defs.resolve_all_job_defs(), key=lambda j: j.name):
        if not job.name.startswith("__"):
            lines.append(f"job {job.name}")
    for schedule in sorted(defs.schedules or [], key=lambda s: s.name):
        lines.append(f"schedule {schedule.name} cron={schedule.cron_schedule}")
    for sensor in sorted(defs.sensors or [], key=lambda s: s.name):
        lines.append(f"sensor {sensor.name}")
    return "\n".join(lines) + "\n"


def test_asset_graph_matches_snapshot():
    current = describe_graph()
    if os.environ.get("UPDATE_SNAPSHOTS") or not SNAPSHOT.exists():
        SNAPSHOT.write_text(current)
    assert current == SNAPSHOT.read_text()


def test_dbt_sources_are_the_ingestion_assets():
    graph = defs.resolve_asset_graph()
    staged = next(
        k for k in graph.get_all_asset_keys() if k.to_user_string() == "staging/stg_raw__leads"
    )
    parents = {p.to_user_string() for p in graph.get(staged).parent_keys}
    assert parents == {"raw/leads"}
    assert graph.get(
        next(k for k in graph.get_all_asset_keys() if k.to_user_string() == "raw/leads")
    ).is_materializable


def test_every_asset_check_says_what_it_asserts():
    """In the UI each check has a description: a dbt test's own, or what its kind asserts
    for its column (assets/transform/dbt_assets.py), or the Python check's docstring."""
    graph = defs.resolve_asset_graph()
    checks = list(graph.asset_check_keys)
    assert len(checks) > 100
    undescribed = [k.to_user_string() for k in checks if not graph.get_check_spec(k).description]
    assert undescribed == []
    [key] = [k for k in checks if k.name.startswith("primary_key_prospects_prospect_id")]
    assert graph.get_check_spec(key).description == "prospect_id is never null and never repeated"
