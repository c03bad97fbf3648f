"""Identity resolution on generated data: pair precision/recall/F1 against the generator's
truth, and the time of each identity model, at a chosen size.

    python -m benchmarks.identity --leads 100000 [--seed 3] [--keep DIR]

It runs what a user runs (`outreach generate`, `outreach run`), then re-runs the three
identity models alone with dbt to time them (dbt's run_results.json).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import polars as pl

from benchmarks.pairs import pair_scores
from core.dbt_project import DBT_PROJECT_DIR
from dagster_project.cli import main as outreach

IDENTITY_MODELS = (
    "int_lead_records_keyed",
    "int_lead_records_clustered",
    "int_lead_records_resolved",
)
AS_OF = "2026-11-24"


def time_identity_models(home: Path) -> dict[str, float]:
    target = home / "bench_target"
    env = {**os.environ, "OUTREACH_WAREHOUSE": str(home / "warehouse.duckdb")}
    subprocess.run(
        [
            str(Path(sys.executable).parent / "dbt"),
            "run",
            # the clustered model is incremental: time a whole clustering, not a no-op day
            "--full-refresh",
            "--select",
            " ".join(IDENTITY_MODELS),
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(target),
            "--vars",
            json.dumps({"as_of": AS_OF}),
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    results = json.loads((target / "run_results.json").read_text())["results"]
    return {r["unique_id"].split(".")[-1]: r["execution_time"] for r in results}


def scores_against_truth(home: Path):
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        records = con.sql(
            "select regexp_extract(l._source_file, '[^/]+$') as file, l._row_number as row_number, "
            "r.prospect_id, r.identity_status from marts.prospect_records r "
            "join raw.leads l using (lead_record_id)"
        ).pl()
    truth = pl.read_parquet(home / "truth" / "lead_rows.parquet")
    joined = records.join(truth, on=["file", "row_number"], how="inner")
    every = pair_scores(joined, "prospect_id", "true_person_id")
    # conflicting rows are one person's address under another's name: the truth gives
    # each its own id, and the pipeline flags them for review rather than splitting them
    clean = pair_scores(
        joined.filter(pl.col("defect") != "conflicting_identity"), "prospect_id", "true_person_id"
    )
    return every, clean


def run(leads: int, seed: int, keep: Path | None) -> None:
    home = keep or Path(tempfile.mkdtemp(prefix="bench_identity_"))
    try:
        started = time.perf_counter()
        assert (
            outreach(
                [
                    "generate",
                    "--leads",
                    str(leads),
                    "--seed",
                    str(seed),
                    "--out",
                    str(home),
                    "--as-of",
                    AS_OF,
                ]
            )
            == 0
        )
        generated = time.perf_counter()
        assert outreach(["run", "--home", str(home), "--as-of", AS_OF]) == 0
        ran = time.perf_counter()
        timings = time_identity_models(home)
        every, clean = scores_against_truth(home)
        print(f"\nidentity benchmark: {leads} generated leads, seed {seed}")
        print(f"  generate {generated - started:.1f} s, whole daily run {ran - generated:.1f} s")
        for model in IDENTITY_MODELS:
            print(f"  {model}: {timings[model]:.2f} s")
        print(f"  identity models total: {sum(timings[m] for m in IDENTITY_MODELS):.2f} s")
        print("  " + every.line("all records"))
        print("  " + clean.line("without the deliberately conflicting rows"))
    finally:
        if keep is None:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="workspace folder to keep (default: a temp dir)")
    args = parser.parse_args()
    run(args.leads, args.seed, args.keep)
