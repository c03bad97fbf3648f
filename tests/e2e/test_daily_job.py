"""The daily job end to end, as a user runs it: `outreach generate` then `outreach run`."""

import subprocess
import sys

import duckdb
import pytest

from dagster_project.cli import main
from tests.conftest import copy_of

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def demo(built_demo, tmp_path_factory):
    return copy_of(built_demo, tmp_path_factory.mktemp("demo") / "ws")


def counts(home):
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(
            "select (select count(*) from raw.leads), (select count(*) from raw.quarantine), "
            "(select count(*) from raw.file_ledger), (select coalesce(sum(rows_in), 0) from "
            "raw.file_ledger)"
        ).fetchall()[0]


def test_daily_run_loads_every_row_into_raw_or_quarantine(demo):
    leads, quarantined, files, rows_in = counts(demo)
    assert files == 11  # 10 generated landing files + the suppressions inbound mail landed
    with duckdb.connect(str(demo / "warehouse.duckdb"), read_only=True) as con:
        [(raw_total,)] = con.execute(
            "select (select count(*) from raw.leads) + (select count(*) from raw.intelligence) + "
            "(select count(*) from raw.signals) + (select count(*) from raw.suppressions) + "
            "(select count(*) from raw.events)"
        ).fetchall()
        [(staged,)] = con.execute("select count(*) from staging.stg_raw__leads").fetchall()
        [(sources,)] = con.execute("select count(*) from config.lead_sources").fetchall()
    assert raw_total + quarantined == rows_in
    assert staged == leads and sources == 6


def test_rerunning_the_same_day_adds_nothing(demo, capsys):
    before = counts(demo)
    assert main(["run", "--home", str(demo), "--as-of", "2026-11-24"]) == 0
    assert counts(demo) == before
    out = capsys.readouterr()
    assert "checks failed          0" in out.out
    assert "ok  outreach_dbt_models" in out.err


def test_bad_config_fails_fast_naming_the_file(demo, capsys):
    campaigns = demo / "config" / "campaigns.yml"
    saved = campaigns.read_text()
    campaigns.write_text(saved.replace("send_authority: Draft Only", "send_authority: Whatever", 1))
    try:
        assert main(["run", "--home", str(demo), "--as-of", "2026-11-25"]) == 2
    finally:
        campaigns.write_text(saved)
    assert "campaigns.yml: campaigns[1].send_authority" in capsys.readouterr().err


def test_the_demo_mailbox_is_classified_and_its_opt_out_and_bounce_suppress(demo):
    with duckdb.connect(str(demo / "warehouse.duckdb"), read_only=True) as con:
        classes = dict(
            con.execute(
                "select regexp_extract(source, '[^/]+$'), reply_class from inbound.messages"
            ).fetchall()
        )
        reasons = sorted(
            r
            for (r,) in con.execute(
                "select reason from raw.suppressions where suppression_ref like 'INBOUND-%'"
            ).fetchall()
        )
    assert classes == {
        "opt_out.eml": "Unsubscribe",
        "out_of_office.eml": "Out Of Office",
        "interested.eml": "Interested",
        "hard_bounce.eml": "Bounce",
    }
    assert reasons == ["hard_bounce", "unsubscribe"]


def test_analysts_read_the_marts_while_another_process_holds_the_warehouse(demo):
    """The run ends by publishing the marts to warehouse.read.duckdb: while another process
    holds the warehouse (as a run does through its dbt build), the read copy still opens,
    with the marts the run left."""
    warehouse, copy = demo / "warehouse.duckdb", demo / "warehouse.read.duckdb"
    assert copy.exists()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(warehouse)!r}); print('held', "
            "flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(duckdb.IOException):
            duckdb.connect(str(warehouse), read_only=True)
        with duckdb.connect(str(copy), read_only=True) as con:
            [(read,)] = con.execute("select count(*) from marts.prospects").fetchall()
            tables = {
                r[0] for r in con.execute("select schema_name from duckdb_tables()").fetchall()
            }
    finally:
        holder.kill()
        holder.wait()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        [(prospects,)] = con.execute("select count(*) from marts.prospects").fetchall()
    assert read == prospects > 0
    assert tables == {"marts"}  # nothing from raw or staging
