"""The workspace's run history (its Dagster instance) and the dbt step folders a run
leaves: kept connections that still read back as Dagster's own, a user's dagster.yaml never
overwritten, and dbt's per-run folders in the workspace, the oldest pruned."""

import os
import time

from dagster import DagsterInstance, asset, materialize

from assets.transform.dbt_in_process import KEEP_RUN_TARGETS, run_target
from dagster_project.instance import (
    DAGSTER_YAML,
    EARLIER_YAML,
    HeldConnectionRunStorage,
    HeldConnectionSqliteEventLog,
    install_instance_yaml,
)


@asset
def counted() -> int:
    return 3


def test_a_run_recorded_through_kept_connections_reads_back_in_a_fresh_instance(
    tmp_path, monkeypatch
):
    home = tmp_path / "dagster"
    home.mkdir()
    install_instance_yaml(home)
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    with DagsterInstance.from_config(str(home)) as instance:
        assert isinstance(instance.event_log_storage, HeldConnectionSqliteEventLog)
        assert isinstance(instance.run_storage, HeldConnectionRunStorage)
        result = materialize([counted], instance=instance)
        assert result.success
    # Dagster's own layout: runs.db and one event file per run under history/
    assert (home / "history" / "runs.db").exists()
    assert (home / "history" / "runs" / f"{result.run_id}.db").exists()
    with DagsterInstance.from_config(str(home)) as again:
        [record] = again.get_run_records()
        assert record.dagster_run.run_id == result.run_id and record.dagster_run.is_success
        events = again.all_logs(result.run_id)
        assert any(e.dagster_event and e.dagster_event.event_type_value ==
                   "ASSET_MATERIALIZATION" for e in events)  # fmt: skip
        assert again.get_latest_materialization_event(counted.key) is not None


def test_an_older_project_yaml_is_replaced_and_a_users_own_is_kept(tmp_path):
    older, own = tmp_path / "older", tmp_path / "own"
    older.mkdir()
    own.mkdir()
    (older / "dagster.yaml").write_text(EARLIER_YAML)
    (own / "dagster.yaml").write_text("telemetry:\n  enabled: false\n# mine\n")
    install_instance_yaml(older)
    install_instance_yaml(own)
    assert (older / "dagster.yaml").read_text() == DAGSTER_YAML.read_text()
    assert (own / "dagster.yaml").read_text().endswith("# mine\n")


def test_dbt_step_folders_live_in_the_workspace_and_only_the_newest_runs_are_kept(tmp_path):
    made = []
    for i in range(KEEP_RUN_TARGETS + 3):
        folder = run_target(tmp_path, f"{i:08d}-run", "outreach_dbt_models")
        folder.mkdir(parents=True)
        (folder / "run_results.json").write_text("{}")
        stamp = time.time() - 1000 + i
        os.utime(folder.parent, (stamp, stamp))
        made.append(folder.parent)
    run_target(tmp_path, "newest00-run", "outreach_dbt_models")
    kept = sorted(p.name for p in (tmp_path / "logs" / "dbt").iterdir())
    assert kept == sorted(p.name for p in made[-KEEP_RUN_TARGETS:])
