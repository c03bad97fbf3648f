"""The generator: deterministic for a seed, and its truth agrees with what ingestion does."""

import hashlib

import duckdb
import polars as pl

from assets.ingestion.ingest import ingest_kind
from core.config import load_config
from demo.generator import generate


def _digest(folder):
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_files_other_seed_other_files(tmp_path, as_of):
    a = generate(tmp_path / "a", 500, 3, as_of).workspace
    b = generate(tmp_path / "b", 500, 3, as_of).workspace
    c = generate(tmp_path / "c", 500, 4, as_of).workspace
    assert _digest(a.landing_dir) == _digest(b.landing_dir)
    assert _digest(a.landing_dir) != _digest(c.landing_dir)


def test_truth_matches_quarantine_row_for_row(tmp_path, as_of):
    ws = generate(tmp_path / "w", 3000, 11, as_of).workspace
    config = load_config(ws.config_dir)
    with duckdb.connect(str(ws.warehouse)) as con:
        ingest_kind(con, "leads", ws.landing("leads"), ws.home, as_of, config, "t")
        got = con.sql(
            "select regexp_extract(source_file, '[^/]+$') as file, row_number from raw.quarantine"
        ).pl()
    truth = pl.read_parquet(ws.truth / "lead_rows.parquet")
    expected = truth.filter(pl.col("expected_table") == "quarantine").select("file", "row_number")
    assert expected.height > 0
    assert sorted(got.rows()) == sorted(expected.rows())
    # every other file the generator writes is meant to be valid: all of it reaches raw
    with duckdb.connect(str(ws.warehouse)) as con:
        for kind in ("intelligence", "signals", "suppressions", "events"):
            results = ingest_kind(con, kind, ws.landing(kind), ws.home, as_of, config, "t")
            assert results and all(r.rows_raw > 0 for r in results), kind
            assert [
                (r.source_file, r.rows_quarantined) for r in results if r.rows_quarantined
            ] == []
    # the mess the issue asks for is all there
    defects = set(truth["defect"].unique().to_list())
    assert {
        "conflicting_identity",
        "invalid_email",
        "invalid_phone",
        "no_source",
        "impossible_date",
    } <= defects
    assert truth.filter(pl.col("is_repeat")).height > 0
    kinds = {p.parent.name for p in ws.landing_dir.rglob("*.*")}
    assert kinds == {"leads", "intelligence", "signals", "suppressions", "events"}
    observations = pl.read_ndjson(ws.landing("intelligence") / "observations.jsonl")
    assert set(observations["evidence_class"]) >= {
        "AI Inference",
        "Unverified Claim",
        "Verified Fact",
    }
