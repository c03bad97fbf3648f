"""One measured daily run, in a process of its own (so its memory is its own), the way
`outreach run` runs it: the daily job in process for one run date. Prints JSON: wall time
and peak memory (this process and its dbt subprocesses) per stage and in total.

    python -m benchmarks.run_day --home DIR --as-of 2026-11-23

Stages: process start (imports), then each Dagster step named by what it writes
(`ingestion: raw/leads`), the dbt steps broken into dbt's own work by layer (seeds,
staging, intermediate, marts, tests, unit tests; the timings of dbt's run_results.json)
and dbt's start-up (parse, connect) as the rest of the step; checks are the steps that
only evaluate asset checks.
"""

import time

STARTED = time.time()  # before the imports: they are part of what a user waits for

import argparse  # noqa: E402
import contextlib  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
from collections import defaultdict  # noqa: E402
from datetime import datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import psutil  # noqa: E402

from benchmarks.memory import MemorySampler  # noqa: E402

DBT_LAYERS = {"seed": "dbt seeds", "test": "dbt tests", "unit_test": "dbt unit tests"}


def _epoch(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def _dbt_nodes(run_id: str, targets: Path, manifest: dict) -> list[dict]:
    """Each dbt node a daily run built: its stage (layer) and start and end times."""
    nodes = []
    for results in targets.glob(f"run-{run_id[:8]}/*/run_results.json"):
        for result in json.loads(results.read_text())["results"]:
            uid = result["unique_id"]
            kind = uid.split(".")[0]
            if kind == "model":
                stage = f"dbt {manifest['nodes'][uid]['fqn'][1]}"
            else:
                stage = DBT_LAYERS.get(kind, f"dbt {kind}")
            times = [t for t in result["timing"] if t.get("started_at")]
            if times:
                nodes.append(
                    {
                        "stage": stage,
                        "node": uid,
                        "start": _epoch(times[0]["started_at"]),
                        "end": _epoch(times[-1]["completed_at"]),
                    }
                )
    return nodes


def _steps(instance, run_id: str) -> dict[str, dict]:
    """Dagster steps: start, end, and what they wrote or checked."""
    steps: dict[str, dict] = defaultdict(lambda: {"assets": [], "checks": 0})
    for record in instance.all_logs(run_id):
        event = record.dagster_event
        if event is None or event.step_key is None:
            continue
        step = steps[event.step_key]
        kind = event.event_type_value
        if kind == "STEP_START":
            step["start"] = record.timestamp
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE", "STEP_SKIPPED"):
            step["end"] = record.timestamp
            step["outcome"] = kind
        elif kind == "ASSET_MATERIALIZATION":
            step["assets"].append(event.asset_key.to_user_string())
        elif kind == "ASSET_CHECK_EVALUATION":
            step["checks"] += 1
    return {k: v for k, v in steps.items() if "start" in v and "end" in v}


def _step_stage(key: str, step: dict) -> str:
    if step["assets"]:
        first = step["assets"][0]
        group = first.split("/")[0]
        more = f" (+{len(step['assets']) - 1})" if len(step["assets"]) > 1 else ""
        return f"{group}: {first}{more}"
    return f"checks: {key}" if step["checks"] else f"other: {key}"


def measure(home: Path, as_of: str) -> dict:
    from core.workspace import Workspace

    ws = Workspace.resolve(home)
    os.environ.update(ws.environment())
    from checks import gx_worker

    gx_worker.start()  # as `outreach run` does: Great Expectations imports beside the run
    from core.dbt_project import DBT_PROJECT_DIR
    from dagster_project.cli import _quiet_run_config
    from dagster_project.definitions import defs
    from dagster_project.instance import run_instance

    imported = time.time()
    imported_rss = psutil.Process().memory_info().rss
    manifest = json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text())
    log_path = ws.home / "logs" / f"bench-{as_of}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with (
        MemorySampler() as memory,
        run_instance(ws) as instance,  # where `outreach run` records: the workspace's own
        open(log_path, "a", encoding="utf-8") as log,
        contextlib.redirect_stdout(log),
    ):
        job_started = time.time()
        result = defs.resolve_job_def("daily_job").execute_in_process(
            partition_key=as_of,
            instance=instance,
            run_config=_quiet_run_config(),
            raise_on_error=False,
        )
        gx_worker.settle()
        ended = time.time()
        steps = _steps(instance, result.run_id)
    nodes = _dbt_nodes(result.run_id, ws.home / "logs" / "dbt", manifest)

    stages: list[dict] = [
        {
            "stage": "start: imports",
            "group": "start",
            "seconds": imported - STARTED,
            "peak_bytes": imported_rss,
        }
    ]
    for key, step in sorted(steps.items(), key=lambda kv: kv[1]["start"]):
        inside = [n for n in nodes if step["start"] <= n["start"] <= step["end"]]
        if not inside:
            stage = _step_stage(key, step)
            stages.append(
                {
                    "stage": stage,
                    "group": stage.split(":")[0],
                    "seconds": step["end"] - step["start"],
                    "peak_bytes": memory.peak_between(step["start"], step["end"]),
                }
            )
            continue
        by_layer: dict[str, list[dict]] = defaultdict(list)
        for node in inside:
            by_layer[node["stage"]].append(node)
        worked = 0.0
        for layer, members in by_layer.items():
            seconds = sum(n["end"] - n["start"] for n in members)
            worked += seconds
            peak = max(memory.peak_between(n["start"], n["end"]) for n in members)
            stages.append(
                {
                    "stage": f"{layer} ({key})",
                    "group": layer,
                    "seconds": seconds,
                    "peak_bytes": peak,
                    "nodes": len(members),
                }
            )
        stages.append(
            {
                "stage": f"dbt start-up and Dagster events ({key})",
                "group": "dbt start-up",
                "seconds": step["end"] - step["start"] - worked,
                "peak_bytes": memory.peak_between(step["start"], step["end"]),
            }
        )
    return {
        "as_of": as_of,
        "success": result.success,
        "seconds": ended - STARTED,
        "job_seconds": ended - job_started,
        "peak_bytes": memory.peak,
        "peak_pss_bytes": memory.peak_pss,
        "stages": stages,
        "log": str(log_path),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--as-of", required=True)
    args = parser.parse_args()
    print(json.dumps(measure(args.home, args.as_of)))
