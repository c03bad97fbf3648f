"""Incremental identity resolution gives what a full rebuild gives, day after day.

Day 1 is a generated workspace plus two records of one person tied only by her name at
her company. Day 2 lands a bridge (one generated person's address with another's phone),
a second address for that name (the name key turns ambiguous: her cluster splits) and a
typo of a third person's address. Day 3 follows an erasure. After each day the
incremental tables equal a `--full-refresh` build of the same warehouse, and day 2
clustered again only the records it touched.
"""

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

from assets.ingestion.landing_schemas import SCHEMAS
from dagster_project.cli import main
from tests.warehouse import run_dbt, warehouse_sql

pytestmark = pytest.mark.e2e

DAY_1, DAY_2, DAY_3 = "2026-11-20", "2026-11-21", "2026-11-22"
IDENTITY = "int_lead_records_keyed int_lead_records_clustered int_lead_records_resolved"
COLUMNS = SCHEMAS["leads"].columns
NORA = {
    "first_name": "Nora",
    "last_name": "Quist",
    "company_name": "Quist Dental",
    "company_website": "https://quistdental.example/",
    "role": "Owner",
    "country": "GB",
    "city": "Leeds",
}
OSKAR = NORA | {
    "first_name": "Oskar",
    "last_name": "Brandt",
    "company_name": "Brandt Physio",
    "company_website": "https://brandtphysio.example/",
}


def _land(home: Path, name: str, rows: list[dict]) -> None:
    path = home / "landing" / "leads" / f"{name}.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS, restval="")
        writer.writeheader()
        for number, row in enumerate(rows):
            writer.writerow(
                {
                    "source_id": "crm_export",
                    "source_record": f"{name}-{number}",
                    "captured_on": "2026-10-01",
                }
                | row
            )


def _prospect_of(home: Path, email: str | None = None, phone: str | None = None) -> set[str]:
    where = f"email_key = '{email}'" if email else f"phone_e164 = '{phone}'"
    rows = warehouse_sql(
        home,
        f"select distinct prospect_id from intermediate.int_lead_records_resolved where {where}",
    )
    return set(rows["prospect_id"])


def _assert_equals_full_rebuild(home: Path, as_of: str, tmp_path: Path) -> None:
    full = tmp_path / f"full-{as_of}"
    full.mkdir()
    shutil.copy(home / "warehouse.duckdb", full / "warehouse.duckdb")
    built = run_dbt(full, "run", IDENTITY, as_of, "--full-refresh")
    assert built.returncode == 0, built.stdout[-3000:]
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        con.sql(f"attach '{full / 'warehouse.duckdb'}' as full_build (read_only)")
        for table, columns in (
            ("int_lead_records_clustered", "* exclude (clustered_on)"),
            ("int_lead_records_resolved", "*"),
        ):
            incremental = f"select {columns} from intermediate.{table}"
            rebuilt = f"select {columns} from full_build.intermediate.{table}"
            for left, right in ((incremental, rebuilt), (rebuilt, incremental)):
                [(differ,)] = con.sql(f"select count(*) from ({left} except {right})").fetchall()
                assert differ == 0, f"{table} differs from a full rebuild on {as_of}"


def test_incremental_identity_equals_a_full_rebuild_each_day(tmp_path):
    home = tmp_path / "home"
    assert (
        main(["generate", "--leads", "1500", "--seed", "11", "--out", str(home), "--as-of", DAY_1])
        == 0
    )
    _land(
        home,
        "nora_day1",
        [
            NORA | {"email": "nora.quist@quistdental.example"},
            NORA | {"phone": "+447424000123"},
        ],
    )
    _land(home, "oskar_day1", [OSKAR | {"email": "oskar.brandt@brandtphysio.example"}])
    assert main(["run", "--home", str(home), "--as-of", DAY_1]) == 0
    assert _prospect_of(home, email="nora.quist@quistdental.example") == _prospect_of(
        home, phone="+447424000123"
    )
    singles = warehouse_sql(
        home,
        "select r.first_name, r.last_name, r.email_key, r.phone_e164 from"
        " intermediate.int_lead_records_resolved as r where r.record_count = 1"
        " and r.email_key is not null and r.phone_e164 is not null and not r.is_free_mail"
        " and not r.is_role_address order by r.lead_record_id limit 2",
    ).rows()
    # a record that joins two people's clusters: the first's address (an address links
    # whatever the name) with the second's name and number (a number links named records
    # only when the names agree)
    (_, _, email_a, _), (first, last, _, phone_b) = singles
    _land(
        home,
        "day2",
        [
            {
                "first_name": first,
                "last_name": last,
                "email": email_a,
                "phone": phone_b,
                "country": "GB",
            },
            # a second address, not a typo of the first (4 edits): "N. Quist" is ambiguous
            NORA | {"email": "nquist@quistdental.example"},
            OSKAR | {"email": "oskar.brandtt@brandtphysio.example"},
        ],
    )
    assert main(["run", "--home", str(home), "--as-of", DAY_2]) == 0

    assert _prospect_of(home, email=email_a) == _prospect_of(home, phone=phone_b)
    assert _prospect_of(home, email="nora.quist@quistdental.example") != _prospect_of(
        home, phone="+447424000123"
    )
    assert _prospect_of(home, email="oskar.brandt@brandtphysio.example") == _prospect_of(
        home, email="oskar.brandtt@brandtphysio.example"
    )
    again = warehouse_sql(
        home,
        f"select count(*) filter (where clustered_on = date '{DAY_2}') as again, count(*) as total"
        " from intermediate.int_lead_records_clustered",
    ).row(0, named=True)
    assert 7 <= again["again"] < 0.1 * again["total"], again
    _assert_equals_full_rebuild(home, DAY_2, tmp_path)

    assert (
        main(["forget", "nora.quist@quistdental.example", "--as-of", DAY_3, "--home", str(home)])
        == 0
    )
    assert main(["run", "--home", str(home), "--as-of", DAY_3]) == 0
    everyone = warehouse_sql(
        home,
        f"select count(*) filter (where clustered_on <> date '{DAY_3}') as kept"
        " from intermediate.int_lead_records_clustered",
    )
    assert everyone["kept"][0] == 0  # an erasure clusters everyone again
    _assert_equals_full_rebuild(home, DAY_3, tmp_path)
