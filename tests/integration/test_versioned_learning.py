"""Versioned learning on a real DuckDB file with the real dbt models: each run records
the configuration version per campaign; a change to one sequence's template shows up as
a new version for the campaign that uses it (and as no change for the others), with the
drafts and reviewer decisions made under each version side by side. Recording a version
never writes the configuration files."""

import hashlib
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from assets.ingestion.config_tables import record_versions
from core.config import load_config
from core.schema import ensure_operational_tables
from tests.warehouse import run_dbt

pytestmark = pytest.mark.integration


def _tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def _draft(con, communication: str, campaign: str, version: str, decision: str, day: date) -> None:
    con.execute(
        "insert into drafting.draft_history by name select ? as communication_id, 'pr_1' as "
        "prospect_id, ? as campaign_id, 1 as step, ? as content_hash, 's' as subject, 'b' as body, "
        "? as drafted_on, ? as config_version",
        [communication, campaign, communication + version, day, version],
    )
    con.execute(
        "insert into review.decisions by name select ? as decision_id, 't' as review_token, ? as "
        "communication_id, 'h' as draft_content_hash, 'pr_1' as prospect_id, ? as campaign_id, ? "
        "as decision, 'rita' as reviewer, ? as decided_at, 'f' as source_file, 1 as source_row, ? "
        "as config_version",
        [
            f"dc_{communication}",
            communication,
            campaign,
            decision,
            datetime.combine(day, datetime.min.time()),
            version,
        ],
    )


def test_a_template_change_is_a_new_version_with_before_and_after_figures(workspace):
    warehouse = workspace.home / "warehouse.duckdb"
    before_files = _tree_hash(workspace.config_dir)
    first = load_config(workspace.config_dir)
    with duckdb.connect(str(warehouse)) as con:
        ensure_operational_tables(con)
        con.execute("create schema if not exists config")
        record_versions(con, first, date(2026, 11, 2))
        record_versions(con, first, date(2026, 11, 3))  # the same version, a day later
        _draft(con, "cm_a", "diag_linkedin_manual", first.version, "Approve", date(2026, 11, 2))
        _draft(con, "cm_b", "diag_linkedin_manual", first.version, "Reject", date(2026, 11, 3))
    assert _tree_hash(workspace.config_dir) == before_files, "recording a version writes no config"

    # a person edits the LinkedIn sequence's first template
    sequences = workspace.config_dir / "sequences.yml"
    sequences.write_text(
        sequences.read_text().replace(
            "Hi {{ first_name }}, I noticed", "Hello {{ first_name }}, I saw that", 1
        )
    )
    second = load_config(workspace.config_dir)
    assert second.version != first.version
    with duckdb.connect(str(warehouse)) as con:
        record_versions(con, second, date(2026, 11, 4))
        _draft(con, "cm_c", "diag_linkedin_manual", second.version, "Approve", date(2026, 11, 4))

    done = run_dbt(
        workspace.home,
        "run",
        "stg_config__version_history stg_drafting__draft_history stg_review__decisions "
        "stg_send__records stg_inbound__messages config_versions",
        as_of="2026-11-04",
    )
    assert done.returncode == 0, done.stdout[-3000:]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.sql(
            "select * from marts.config_versions order by campaign_id, version_number"
        ).pl()
    linkedin = rows.filter(rows["campaign_id"] == "diag_linkedin_manual").to_dicts()
    assert [r["config_version"] for r in linkedin] == [first.version, second.version]
    assert linkedin[0]["changed_parts"] == "first version"
    assert linkedin[0]["first_seen_on"] == date(2026, 11, 2) and linkedin[0][
        "last_seen_on"
    ] == date(2026, 11, 3)
    assert linkedin[1]["changed_parts"].split() == ["templates"]
    assert linkedin[1]["previous_version"] == first.version
    # before and after: two decisions (one approval) under v1, one approval under v2
    assert (linkedin[0]["drafts"], linkedin[0]["decisions"], linkedin[0]["approval_rate"]) == (
        2,
        2,
        0.5,
    )
    assert (
        linkedin[1]["drafts"],
        linkedin[1]["approval_rate"],
        linkedin[1]["previous_approval_rate"],
    ) == (1, 1.0, 0.5)
    # the email campaigns use another sequence: a new workspace version, no change for them
    email = rows.filter(rows["campaign_id"] == "diag_uk_email_pilot").to_dicts()
    assert email[1]["changed_parts"].startswith("no change for this campaign")
