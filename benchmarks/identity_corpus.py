"""Identity resolution on a labelled public corpus (Splink's fake_1000: names, dates of
birth, cities and emails with typos, and the true cluster of each record).

    python -m benchmarks.identity_corpus [--corpus PATH]

Each corpus row becomes a lead record of a registered source; the pipeline runs as a
user runs it; pairs are scored against the true clusters. Rows the pipeline
quarantines (nothing valid identifies them) count as records of their own.
"""

import argparse
import shutil
import tempfile
from pathlib import Path

import duckdb
import polars as pl

from benchmarks.pairs import pair_scores
from dagster_project.cli import main as outreach
from demo.generator import EXAMPLE_CONFIG

CORPUS = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "corpora"
    / "identity-splink"
    / "splink_fake_1000.csv"
)
AS_OF = "2026-11-24"


def as_leads(corpus: pl.DataFrame) -> pl.DataFrame:
    return corpus.select(
        pl.lit("trade_directory").alias("source_id"),
        pl.col("unique_id").alias("source_record"),
        pl.lit(AS_OF).alias("captured_on"),
        pl.col("first_name"),
        pl.col("surname").alias("last_name"),
        pl.col("email"),
        pl.lit(None, pl.String).alias("phone"),
        pl.lit(None, pl.String).alias("company_name"),
        pl.lit(None, pl.String).alias("company_website"),
        pl.lit(None, pl.String).alias("role"),
        pl.lit("GB").alias("country"),
        pl.col("city"),
    )


def run(corpus_path: Path) -> None:
    corpus = pl.read_csv(corpus_path, infer_schema=False)
    home = Path(tempfile.mkdtemp(prefix="bench_corpus_"))
    try:
        shutil.copytree(EXAMPLE_CONFIG, home / "config")
        (home / "landing" / "leads").mkdir(parents=True)
        as_leads(corpus).write_csv(home / "landing" / "leads" / "corpus.csv")
        assert outreach(["run", "--home", str(home), "--as-of", AS_OF]) == 0
        with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
            linked = con.sql(
                "select source_record, prospect_id, match_reason from marts.prospect_records"
            ).pl()
            [(quarantined,)] = con.sql(
                "select count(*) from raw.quarantine where kind = 'leads'"
            ).fetchall()
        frame = corpus.join(
            linked, left_on="unique_id", right_on="source_record", how="left"
        ).with_columns(
            pl.coalesce("prospect_id", pl.format("q_{}", "unique_id")).alias("predicted")
        )
        scores = pair_scores(frame, "predicted", "cluster")
        linked_only = pair_scores(
            frame.filter(pl.col("prospect_id").is_not_null()), "predicted", "cluster"
        )
        print(
            f"\nidentity on {corpus_path.name}: {corpus.height} records, "
            f"{corpus['cluster'].n_unique()} true clusters"
        )
        print(f"  quarantined (no email, phone, company, or name and city): {quarantined}")
        print("  " + scores.line("all records (quarantined = alone)"))
        print("  " + linked_only.line("records that reached the pipeline"))
        print(
            "  match reasons: "
            + ", ".join(
                f"{r}={n}"
                for r, n in frame["match_reason"]
                .value_counts()
                .sort("count", descending=True)
                .rows()
            )
        )
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    run(parser.parse_args().corpus)
