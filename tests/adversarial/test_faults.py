"""Faults a user's machine has: a run killed outright at any moment, a full disk, a
damaged warehouse. Each is followed by what a user does next, which must work."""

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from checks.expectations import SUITES, run_suite
from checks.gx_validation import repair_gx_folder
from dagster_project.cli import main
from tests.adversarial.corpus import csv_bytes, good
from tests.conftest import copy_of
from tests.processes import alive, descendants
from tests.warehouse import warehouse_sql as sql

AS_OF = "2026-11-24"
OUTREACH = str(Path(sys.executable).parent / "outreach")
CANDIDATES = next(s for s in SUITES if s.asset == ("marts", "draft_candidates"))


def _candidates() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "prospect_id": "pr_1",
                "campaign_id": "diag",
                "channel": "email",
                "priority": "Priority One",
                "priority_reasons": "role fit",
                "identity_status": "Verified",
                "evidence_id": "ev_1",
                "evidence_class": "Verified Fact",
                "lawful_basis": "Legitimate Interest (LIA-1)",
            }
        ]
    )


def _kill_at(home: Path, step: str, after: float) -> set[int]:
    """Start `outreach run`, kill -9 it `after` seconds into `step`; return the processes it
    had started that are still alive two seconds later."""
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    run = subprocess.Popen(
        [OUTREACH, "run", "--home", str(home), "--as-of", AS_OF],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    try:
        for line in run.stderr:
            if line.strip() == f"... {step}":
                break
        else:
            pytest.fail(f"the run ended before {step}")
        time.sleep(after)
        children = descendants(run.pid)
        run.send_signal(signal.SIGKILL)
        run.wait()
    finally:
        if run.poll() is None:
            run.kill()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(alive(p) for p in children):
        time.sleep(0.1)
    return {p for p in children if alive(p)}


@pytest.mark.e2e
def test_kill_9_at_five_moments_leaves_nothing_behind_and_the_next_run_completes(
    built_demo, tmp_path
):
    home = copy_of(built_demo, tmp_path / "ws")
    before = sql(home, "select count(*) as n from raw.leads")["n"][0]
    new = [good(7000 + i, source_id="crm_export", email=f"kill{i}@acme.example") for i in range(20)]
    (home / "landing" / "leads" / "arrived.csv").write_bytes(csv_bytes(new))
    moments = [
        ("raw__leads", 0.0),
        ("outreach_dbt_models", 4.0),  # dbt is running (its start-up is ~3 s)
        ("drafting__drafts", 0.1),
        ("outreach_dbt_review_models", 4.0),
        ("exports__review_queue", 0.0),
    ]
    for step, after in moments:
        orphans = _kill_at(home, step, after)
        assert not orphans, f"killed during {step}: still running {orphans}"
    assert main(["run", "--home", str(home), "--as-of", AS_OF]) == 0
    # every row once: the new file in raw exactly once, every file reconciled with its ledger row
    assert sql(home, "select count(*) as n from raw.leads")["n"][0] == before + len(new)
    ledger = sql(
        home,
        """select l.source_file, l.rows_in,
                  (select count(*) from raw.leads r where r._file_sha256 = l.file_sha256) +
                  (select count(*) from raw.quarantine q where q.file_sha256 = l.file_sha256)
                  as accounted
           from raw.file_ledger l where l.kind = 'leads'""",
    )
    assert (ledger["rows_in"] == ledger["accounted"]).all()
    assert ledger["source_file"].is_unique().all()
    assert (home / "exports" / "review" / AS_OF / "review_queue.xlsx").exists()
    assert sql(home, "select count(*) as n from marts.review_queue")["n"][0] > 0


@pytest.mark.integration
@pytest.mark.parametrize(
    "damage",
    [
        "expectations/marts/draft_candidates.json",
        "checkpoints/marts.draft_candidates.json",
        "validation_definitions/marts.draft_candidates.json",
        "great_expectations.yml",
    ],
)
def test_a_zero_byte_gx_file_left_by_a_full_disk_is_rebuilt(tmp_path, damage):
    assert run_suite(CANDIDATES, _candidates(), tmp_path).passed
    (tmp_path / "gx" / damage).write_bytes(b"")
    assert run_suite(CANDIDATES, _candidates(), tmp_path).passed
    assert (tmp_path / "gx" / damage).stat().st_size > 0
    assert repair_gx_folder(tmp_path) == []


@pytest.mark.integration
def test_after_a_real_full_disk_the_next_check_recovers(tmp_path):
    """A workspace on a 2 MB tmpfs (root only), filled until GX fails to write; space freed,
    the next run of the suite passes."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)]).returncode:
        pytest.skip("mounting a tmpfs needs root (CI runs as root)")
    try:
        home = disk / "ws"
        assert run_suite(CANDIDATES, _candidates(), home).passed
        filler = disk / "filler"
        with filler.open("wb") as handle:
            try:
                while True:
                    handle.write(b"x" * 65536)
                    handle.flush()
            except OSError:
                pass
        with pytest.raises(OSError):
            for _ in range(50):  # GX writes its files again each run: one of them hits ENOSPC
                run_suite(CANDIDATES, _candidates(), home)
                (home / "pad").write_bytes(b"y" * 4096)
        filler.unlink()
        assert run_suite(CANDIDATES, _candidates(), home).passed
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


@pytest.mark.integration
@pytest.mark.parametrize(
    "damaged",
    [
        pytest.param(lambda real: os.urandom(100_000), id="random bytes"),
        pytest.param(lambda real: real[:4096], id="truncated"),
        pytest.param(lambda real: b"SQLite format 3\x00" + b"\x00" * 4000, id="another database"),
    ],
)
@pytest.mark.parametrize(
    "verb",
    [
        ["run"],
        ["queue", "export"],
        ["report"],
        ["send"],
        ["forget", "someone@acme.example"],
    ],
    ids=" ".join,
)
def test_a_damaged_warehouse_gives_every_verb_one_clear_error(
    workspace, as_of, capsys, damaged, verb
):
    import duckdb

    landing = workspace.landing("leads")
    landing.mkdir(parents=True, exist_ok=True)
    (landing / "crm.csv").write_bytes(csv_bytes([good(1)]))
    with duckdb.connect(str(workspace.warehouse)) as con:
        con.execute("create table t as select range as n from range(100000)")
    workspace.warehouse.write_bytes(damaged(workspace.warehouse.read_bytes()))
    landed = hashlib.sha256((landing / "crm.csv").read_bytes()).hexdigest()
    code = main([*verb, "--home", str(workspace.home), "--as-of", str(as_of)])
    err = capsys.readouterr().err
    assert code == 2
    assert str(workspace.warehouse) in err and "move it aside" in err
    assert "Traceback" not in err
    assert hashlib.sha256((landing / "crm.csv").read_bytes()).hexdigest() == landed


@pytest.mark.integration
def test_a_verb_waits_for_a_run_holding_the_warehouse_and_says_who(workspace, capsys):
    """Another process holds the warehouse (as a run does in its dbt step): the verb waits,
    naming the holder, and goes on when it is released; past the bound it stops clearly."""
    import duckdb

    from core.warehouse_health import WarehouseUnusable, check_warehouse

    with duckdb.connect(str(workspace.warehouse)) as con:
        con.execute("create table t as select 1 as n")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); "
         "time.sleep(float(sys.argv[2]))", str(workspace.warehouse), "3"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "held"
        said: list[str] = []
        with pytest.raises(WarehouseUnusable, match="in use by another process"):
            check_warehouse(workspace.warehouse, wait=0.5, say=said.append)
        started = time.monotonic()
        check_warehouse(workspace.warehouse, wait=30, say=said.append)
        assert time.monotonic() - started > 0.5
        assert f"process {holder.pid}" in said[-1]
    finally:
        holder.wait(timeout=30)
