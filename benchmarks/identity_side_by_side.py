"""Identity resolution, the pipeline and Splink side by side, on records nobody here tuned
for and on B2B records built to be hard: pairwise precision, recall and F1 against the
true clusters, and records per minute.

    python -m benchmarks.identity_side_by_side [--people 6000] [--splink .venv-splink/bin/python]
        [--sets fake_1000 seed1 seed2]

At scale (records per minute at ~100k records, the held-out seed alone):
`--people 68000 --sets seed2`.

Data sets: Splink's `fake_1000` (the public corpus in ../shared/corpora; the pipeline sees
names, city and email, no date of birth: a B2B lead has none), and B2B records from
`benchmarks/b2b_identity.py` (switchboards shared by colleagues, swapped and misspelt
names, typos in addresses and domains; seed 1 is the part the rules were checked on,
seed 2 is held out). The pipeline runs as a user runs it (`outreach run`); its records per
minute are those of the three identity models (dbt's timings). Splink runs in its own
venv, trained on the same records, and is scored at every threshold it was clustered at:
the best is reported (an advantage no user has). `make bench-identity` creates the venv.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import duckdb
import polars as pl

from assets.ingestion.landing_schemas import SCHEMAS
from benchmarks.b2b_identity import generate
from benchmarks.identity_corpus import CORPUS, as_leads
from benchmarks.pairs import PairScores, pair_scores
from dagster_project.cli import main as outreach
from demo.generator import EXAMPLE_CONFIG

AS_OF = "2026-11-24"
IDENTITY_MODELS = (
    "int_lead_records_keyed",
    "int_lead_records_clustered",
    "int_lead_records_resolved",
)
SPLINK_SIDE = Path(__file__).with_name("splink_side.py")
# what `--sets` can name: Splink's corpus, the B2B part checked on, the B2B part held out
DATA_SETS = ("fake_1000", "seed1", "seed2")
# the lead landing columns a CRM export brings (no inquiry)
LEAD_COLUMNS = tuple(c for c in SCHEMAS["leads"].columns if c != "inquiry")


def fake_1000() -> tuple[pl.DataFrame, pl.DataFrame]:
    """The corpus as leads (no date of birth) and as Splink's own columns (with it)."""
    corpus = pl.read_csv(CORPUS, infer_schema=False)
    leads = as_leads(corpus).with_columns(corpus["cluster"].alias("truth"))
    return leads, corpus.select("unique_id", "dob")


def project(leads: pl.DataFrame) -> tuple[PairScores, dict[str, float], dict[str, PairScores]]:
    """The pipeline's clusters (a quarantined row is a cluster of its own), the identity
    models' seconds, and the pairs' precision within each identity status."""
    home = Path(tempfile.mkdtemp(prefix="bench_side_"))
    try:
        shutil.copytree(EXAMPLE_CONFIG, home / "config")
        (home / "landing" / "leads").mkdir(parents=True)
        leads.select(LEAD_COLUMNS).write_csv(home / "landing" / "leads" / "records.csv")
        assert outreach(["run", "--home", str(home), "--as-of", AS_OF]) == 0
        with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
            linked = con.sql(
                "select records.source_record, records.prospect_id, prospects.identity_status"
                " from marts.prospect_records as records"
                " inner join marts.prospects as prospects using (prospect_id)"
            ).pl()
        seconds = {}
        for results in (home / "logs" / "dbt").glob("run-*/*/run_results.json"):
            for result in json.loads(results.read_text())["results"]:
                name = result["unique_id"].split(".")[-1]
                if name in IDENTITY_MODELS:
                    seconds[name] = result["execution_time"]
    finally:
        shutil.rmtree(home, ignore_errors=True)
    frame = leads.join(linked, on="source_record", how="left").with_columns(
        pl.coalesce("prospect_id", pl.format("q_{}", "source_record")).alias("predicted")
    )
    by_status = {}
    for status in ("Verified", "Probable", "Unverified", "Conflicting"):
        part = frame.filter(pl.col("identity_status") == status)
        if part.height:
            by_status[status] = pair_scores(part, "predicted", "truth")
    return pair_scores(frame, "predicted", "truth"), seconds, by_status


def splink(
    python: str, records: pl.DataFrame, truth: pl.DataFrame
) -> tuple[float, PairScores, dict]:
    """Splink's best threshold, its scores there, and its timings."""
    folder = Path(tempfile.mkdtemp(prefix="bench_splink_"))
    try:
        records.write_csv(folder / "records.csv")
        done = subprocess.run(
            [
                python,
                str(SPLINK_SIDE),
                "--records",
                str(folder / "records.csv"),
                "--out",
                str(folder / "clusters.csv"),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        timings = json.loads(done.stdout.strip().splitlines()[-1])
        clusters = pl.read_csv(folder / "clusters.csv", infer_schema=False)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    frame = clusters.join(truth, on="unique_id")
    scored = {
        float(column.split("_")[1]): pair_scores(frame, column, "truth")
        for column in clusters.columns
        if column.startswith("cluster_")
    }
    best = max(scored, key=lambda t: scored[t].f1)
    return best, scored[best], timings


def splink_records(leads: pl.DataFrame) -> pl.DataFrame:
    """The leads in Splink's column names, trimmed and lower-cased as the pipeline reads
    them (empty = missing)."""

    def clean(name: str) -> pl.Expr:
        text = pl.col(name).str.strip_chars().str.to_lowercase()
        return pl.when(text == "").then(None).otherwise(text)

    columns = {"first_name": "first_name", "last_name": "surname", "city": "city", "email": "email"}
    if leads["phone"].drop_nulls().len():
        columns |= {"phone": "phone", "company_name": "company_name"}
    return leads.select(
        pl.col("source_record").alias("unique_id"),
        *(clean(source).alias(target) for source, target in columns.items()),
    )


def report(
    name: str, leads: pl.DataFrame, python: str | None, extra: pl.DataFrame | None = None
) -> None:
    scores, seconds, by_status = project(leads)
    took = sum(seconds.values())
    print(f"\n{name}: {leads.height} records, {leads['truth'].n_unique()} true clusters")
    print("  " + scores.line("pipeline"))
    print(f"    identity models {took:.1f}s ({leads.height / took * 60:,.0f} records/minute)")
    for status, part in by_status.items():
        print(f"    within {status}: {part.predicted_pairs} pairs, precision {part.precision:.3f}")
    if python is None:
        return
    truth = leads.select(pl.col("source_record").alias("unique_id"), "truth")
    records = splink_records(leads)
    variants = [("Splink, same columns", records)]
    if extra is not None:
        variants.append(("Splink, with date of birth", records.join(extra, on="unique_id")))
    for label, table in variants:
        threshold, best, timings = splink(python, table, truth)
        rate = timings["records"] / timings["seconds"] * 60
        print("  " + best.line(f"{label} (best threshold {threshold})"))
        print(f"    {timings['seconds']:.1f}s train+predict+cluster ({rate:,.0f} records/minute)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=6000)
    parser.add_argument(
        "--splink", default=".venv-splink/bin/python", help="a Python with Splink 5"
    )
    parser.add_argument(
        "--sets",
        nargs="+",
        choices=DATA_SETS,
        default=DATA_SETS,
        help="which data sets to score (B2B seed 1 is the part checked on, seed 2 held out)",
    )
    args = parser.parse_args()
    python = args.splink if Path(args.splink).exists() else None
    if python is None:
        print(
            f"no Splink at {args.splink}: the pipeline alone (make bench-identity makes the venv)"
        )
    if "fake_1000" in args.sets:
        leads, dob = fake_1000()
        report("fake_1000", leads, python, dob)
    for seed, part in ((1, "checked on"), (2, "held out")):
        if f"seed{seed}" not in args.sets:
            continue
        b2b = generate(args.people, seed).rename({"true_person": "truth"})
        report(f"B2B, {args.people} people, seed {seed} ({part})", b2b, python)


if __name__ == "__main__":
    main()
