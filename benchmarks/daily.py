"""The daily job at scale: wall time and peak memory per stage, against the floor, at each
size, and a second, incremental day.

    python -m benchmarks.daily --leads 10000 100000 1000000 [--seed 3] [--out benchmarks/results]

For each size it generates a workspace (leads, observations, suppressions, signals,
events, and one inbound message per 1,000 leads), holds back the last 1% of every file
and of the mail for day 2, measures the floor (one DuckDB pass reading every landing file
into one table), runs day 1 (a full build on an empty warehouse), lets day 2's files
arrive and runs day 2. Each run is a process of its own (`benchmarks.run_day`). Results:
`<out>/daily.json` and `<out>/daily.md`.

Targets (issue 8): 1M leads full build at most 8x the floor and at most 4 GiB peak; day 2
at most 0.2x the full build.
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

from benchmarks.day_two import arrive, hold_back
from demo.generator import generate

DAY_ONE = date(2026, 11, 23)
DAY_TWO_SHARE = 0.01
MAIL_PER_LEAD = 1 / 1000
MAX_FLOOR_RATIO = 8.0
MAX_PEAK_BYTES = 4 * 2**30
MAX_DAY_TWO_RATIO = 0.2
MIB = 2**20


def _child(module: str, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", module, *args], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _generate(home: Path, leads: int, seed: int) -> float:
    started = time.perf_counter()
    generate(home, leads, seed, DAY_ONE, mail=max(4, round(leads * MAIL_PER_LEAD)))
    return time.perf_counter() - started


def measure_size(leads: int, seed: int, scratch: Path) -> dict:
    home = scratch / f"leads_{leads}"
    held = scratch / f"day2_{leads}"
    generated = _generate(home, leads, seed)
    held_back = hold_back(home, held, DAY_TWO_SHARE)
    floor = _child("benchmarks.floor", str(home / "landing"), str(scratch))
    day_one = _child("benchmarks.run_day", "--home", str(home), "--as-of", DAY_ONE.isoformat())
    arrive(held, home)
    day_two_as_of = (DAY_ONE + timedelta(days=1)).isoformat()
    day_two = _child("benchmarks.run_day", "--home", str(home), "--as-of", day_two_as_of)
    return {
        "leads": leads,
        "seed": seed,
        "generate_seconds": generated,
        "held_back_for_day_two": held_back,
        "floor": floor,
        "day_one": day_one,
        "day_two": day_two,
        "warehouse_bytes": (home / "warehouse.duckdb").stat().st_size,
    }


def _rollup(stages: list[dict]) -> dict[str, dict]:
    groups: dict[str, dict] = defaultdict(lambda: {"seconds": 0.0, "peak_bytes": 0})
    for stage in stages:
        group = groups[stage["group"]]
        group["seconds"] += stage["seconds"]
        group["peak_bytes"] = max(group["peak_bytes"], stage["peak_bytes"])
    return dict(groups)


def _pss(run: dict) -> int:
    """Peak proportional set size; a result measured before it was recorded has only RSS."""
    return run.get("peak_pss_bytes", run["peak_bytes"])


def verdicts(result: dict) -> dict[str, bool]:
    floor = result["floor"]["seconds"]
    full = result["day_one"]["seconds"]
    return {
        "full build <= 8x floor": full <= MAX_FLOOR_RATIO * floor,
        # proportional sets: a page shared by forked workers counts once, as the machine
        # holds it (the sum of resident sets counts it in each process)
        "peak <= 4 GiB (PSS)": _pss(result["day_one"]) <= MAX_PEAK_BYTES,
        "day 2 <= 0.2x full build": result["day_two"]["seconds"] <= MAX_DAY_TWO_RATIO * full,
    }


def markdown(results: list[dict], machine: str) -> str:
    lines = [
        "# Daily job benchmark",
        "",
        f"Machine: {machine}. Written by `python -m benchmarks.daily` (`make bench-daily`).",
        "Times are wall seconds; memory is the peak of the run's process and the processes",
        "it starts (phone workers, the GX worker), summed as resident sets (RSS: a page",
        "shared by a forked worker counts in each) and as proportional sets (PSS: counted",
        "once, what the machine holds); x floor = the figure over one DuckDB pass that reads",
        "every landing file into one table.",
        "",
        "| leads | floor s | day 1 s | x floor | day 1 peak PSS MiB | day 1 peak RSS MiB"
        " | day 2 s | day 2 / day 1 | generate s | warehouse MiB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        floor, one, two = r["floor"]["seconds"], r["day_one"]["seconds"], r["day_two"]["seconds"]
        lines.append(
            f"| {r['leads']:,} | {floor:.2f} | {one:.1f} | {one / floor:.1f} "
            f"| {_pss(r['day_one']) / MIB:,.0f} | {r['day_one']['peak_bytes'] / MIB:,.0f} "
            f"| {two:.1f} | {two / one:.2f} "
            f"| {r['generate_seconds']:.1f} | {r['warehouse_bytes'] / MIB:,.0f} |"
        )
    largest = max(results, key=lambda r: r["leads"])
    lines += ["", f"Targets at {largest['leads']:,} leads:", ""]
    for name, ok in verdicts(largest).items():
        lines.append(f"- {name}: {'met' if ok else 'NOT met'}")
    for r in results:
        floor = r["floor"]["seconds"]
        for day in ("day_one", "day_two"):
            run = r[day]
            lines += [
                "",
                f"## {r['leads']:,} leads, {day.replace('_', ' ')} ({run['as_of']}): "
                f"{run['seconds']:.1f} s, peak {_pss(run) / MIB:,.0f} MiB PSS, "
                f"{run['peak_bytes'] / MIB:,.0f} MiB RSS"
                + ("" if run["success"] else " (RUN FAILED)"),
                "",
                "| stage group | s | x floor | peak MiB |",
                "|---|---:|---:|---:|",
            ]
            groups = sorted(_rollup(run["stages"]).items(), key=lambda kv: -kv[1]["seconds"])
            for group, g in groups:
                lines.append(
                    f"| {group} | {g['seconds']:.2f} | {g['seconds'] / floor:.1f} "
                    f"| {g['peak_bytes'] / MIB:,.0f} |"
                )
            slowest = sorted(run["stages"], key=lambda s: -s["seconds"])[:8]
            lines += ["", "Slowest stages:", "", "| stage | s | peak MiB |", "|---|---:|---:|"]
            for s in slowest:
                lines.append(
                    f"| {s['stage']} | {s['seconds']:.2f} | {s['peak_bytes'] / MIB:,.0f} |"
                )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    parser.add_argument("--keep", type=Path, help="keep the workspaces in this folder")
    args = parser.parse_args()
    os.environ.setdefault("DAGSTER_HOME", tempfile.mkdtemp(prefix="bench_dagster_"))
    scratch = args.keep or Path(tempfile.mkdtemp(prefix="bench_daily_"))
    scratch.mkdir(parents=True, exist_ok=True)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    results = []
    try:
        for leads in args.leads:
            print(f"{leads:,} leads ...", file=sys.stderr, flush=True)
            results.append(measure_size(leads, args.seed, scratch))
            r = results[-1]
            print(
                f"  floor {r['floor']['seconds']:.2f} s, day 1 {r['day_one']['seconds']:.1f} s, "
                f"day 2 {r['day_two']['seconds']:.1f} s, "
                f"peak {_pss(r['day_one']) / MIB:,.0f} MiB PSS "
                f"({r['day_one']['peak_bytes'] / MIB:,.0f} MiB RSS)",
                file=sys.stderr,
                flush=True,
            )
            if not args.keep:
                shutil.rmtree(scratch / f"leads_{leads}", ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "daily.json").write_text(
        json.dumps({"machine": machine, "results": results}, indent=1)
    )
    (args.out / "daily.md").write_text(markdown(results, machine))
    print((args.out / "daily.md").read_text())
    return 0 if all(r["day_one"]["success"] and r["day_two"]["success"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
