"""The floor a daily run is measured against: one DuckDB pass that reads every landing
file (CSV, JSON lines, Parquet) and writes one table. Nothing the pipeline does to a row
can cost less than reading it once and writing it once."""

import time
from pathlib import Path

import duckdb

from benchmarks.memory import MemorySampler


def _files(landing: Path, suffix: str) -> list[str]:
    return sorted(str(p) for p in landing.glob(f"*/*{suffix}"))


def floor_sql(landing: Path) -> str:
    parts = []
    if csvs := _files(landing, ".csv"):
        parts.append(
            f"select * from read_csv({csvs}, union_by_name = true, all_varchar = true, "
            "filename = true, strict_mode = false, null_padding = true)"
        )
    if jsonl := _files(landing, ".jsonl"):
        parts.append(
            f"select * from read_json({jsonl}, format = 'newline_delimited', "
            "union_by_name = true, filename = true)"
        )
    if parquet := _files(landing, ".parquet"):
        parts.append(
            f"select * from read_parquet({parquet}, union_by_name = true, filename = true)"
        )
    if not parts:
        raise ValueError(f"no landing files under {landing}")
    return "create table landing_rows as " + " union all by name ".join(parts)


def measure_floor(landing: Path, scratch: Path) -> dict:
    """Seconds, peak memory (bytes, this process) and rows of the one-pass load into a new
    DuckDB file in `scratch`."""
    db = scratch / "floor.duckdb"
    db.unlink(missing_ok=True)
    sql = floor_sql(landing)
    with MemorySampler() as memory:
        started = time.time()
        with duckdb.connect(str(db)) as con:
            con.execute(sql)
            rows = con.execute("select count(*) from landing_rows").fetchone()[0]
        ended = time.time()
    db.unlink(missing_ok=True)
    return {
        "seconds": ended - started,
        "peak_bytes": memory.peak_between(started, ended),
        "rows": rows,
    }


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(measure_floor(Path(sys.argv[1]), Path(sys.argv[2]))))
