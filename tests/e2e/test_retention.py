"""Retention: prospects with no activity for the configured period are pseudonymised by
the daily run. A workspace built on 2026-01-05 and left alone is, by 2026-11-23, past a
30-day retention period: that build lists every prospect as due, and the next day's run
erases their lead records, records a retention request each, keeps the hashed keys of
those who were suppressed (so they stay suppressed), and leaves none of their addresses."""

import polars as pl
import pytest

from dagster_project.cli import main
from tests.warehouse import warehouse_sql as sql

pytestmark = pytest.mark.e2e


def test_inactive_prospects_are_pseudonymised_by_the_daily_run(tmp_path):
    home = tmp_path / "ws"
    generate = [
        "generate",
        "--leads",
        "300",
        "--seed",
        "5",
        "--out",
        str(home),
        "--as-of",
        "2026-01-05",
    ]
    assert main(generate) == 0
    assert main(["run", "--home", str(home), "--as-of", "2026-01-05"]) == 0
    (home / "config" / "privacy.yml").write_text("privacy:\n  retention_inactive_days: 30\n")
    # new leads arrive in November: those prospects are active
    fresh = tmp_path / "fresh"
    assert (
        main(
            [
                "generate",
                "--leads",
                "80",
                "--seed",
                "6",
                "--out",
                str(fresh),
                "--as-of",
                "2026-11-23",
            ]
        )
        == 0
    )
    for path in (fresh / "landing" / "leads").glob("*.csv"):
        # another generator run numbers its source records from 1 again: made distinct, or
        # they would be new versions of January's records (staging keeps the latest version)
        fresh_rows = pl.read_csv(path, infer_schema=False).with_columns(
            source_record=pl.lit("fresh-") + pl.col("source_record")
        )
        fresh_rows.write_csv(home / "landing" / "leads" / f"fresh_{path.name}")
    assert main(["run", "--home", str(home), "--as-of", "2026-11-23"]) == 0
    due = sql(home, "select prospect_id, is_suppressed from marts.retention_due")
    prospects = sql(home, "select prospect_id, email from marts.prospects where email is not null")
    records = sql(
        home,
        "select r.lead_record_id, r.prospect_id, l._as_of, r.prospect_id in (select prospect_id "
        "from marts.retention_due) as is_due "
        "from intermediate.int_lead_records_resolved as r join raw.leads as l using "
        "(lead_record_id)",
    )
    assert 0 < due.height < prospects.height
    assert records.filter(records["is_due"])["_as_of"].cast(str).unique().to_list() == [
        "2026-01-05"
    ]
    suppressed = due.filter(due["is_suppressed"]).height
    assert suppressed > 0

    assert main(["run", "--home", str(home), "--as-of", "2026-11-24"]) == 0
    requests = sql(home, "select request_type, honoured_at from privacy.requests")
    assert requests.height == due.height
    assert set(requests["request_type"]) == {"retention"}
    assert requests["honoured_at"].null_count() == 0
    # every record of a due prospect is gone, every other record is still there
    kept = sql(home, "select lead_record_id from raw.leads")["lead_record_id"].to_list()
    assert sorted(kept) == sorted(records.filter(~records["is_due"])["lead_record_id"].to_list())
    left = sql(home, "select prospect_id from marts.prospects")["prospect_id"].to_list()
    assert left and not set(left) & set(due["prospect_id"].to_list())
    # the suppressed keep a hashed key (still suppressed); the rest keep nothing
    keys = sql(home, "select distinct request_id from privacy.erased_keys")
    assert 0 < keys.height <= suppressed
    gone = prospects.filter(prospects["prospect_id"].is_in(due["prospect_id"].to_list()))
    for email in gone["email"].head(20):
        hits = sql(
            home,
            f"select (select count(*) from raw.quarantine where contains(lower(original_row), "
            f"'{email.lower()}')) + (select count(*) from raw.suppressions where lower(email) = "
            f"'{email.lower()}') as n",
        )["n"][0]
        assert hits == 0
