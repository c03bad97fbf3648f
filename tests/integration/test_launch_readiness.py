"""The Launch Readiness Checklist gates sending: a pilot campaign whose sender has no
unsubscribe mailbox or URL fails "unsubscribe handling exists"; the review export says
so at the top, and the send job refuses the campaign naming the item. With the item
completed, the same approvals go out. Real CLI, real warehouse, a real SMTP server."""

import pytest

from dagster_project.cli import main
from tests.conftest import copy_of
from tests.review_and_send import approve, send_live
from tests.smtp_server import SmtpServer
from tests.warehouse import warehouse_sql as sql

pytestmark = pytest.mark.integration

AS_OF = "2026-11-24"
AT = "2026-11-24T10:00:00+00:00"
CAMPAIGN = "diag_uk_email_pilot"
UNSUBSCRIBE = (
    "      unsubscribe_email: unsubscribe@mwms.example\n"
    "      unsubscribe_url: https://mwms.example/unsubscribe\n"
)


def test_a_campaign_missing_a_readiness_item_sends_nothing_until_it_is_complete(
    built_demo, tmp_path, monkeypatch, capsys
):
    home = copy_of(built_demo, tmp_path / "ws")
    campaigns = home / "config" / "campaigns.yml"
    complete = campaigns.read_text().replace("min_gap_seconds: 20", "min_gap_seconds: 0")
    # the pilot campaign (the first) loses its unsubscribe mailbox and URL
    campaigns.write_text(complete.replace(UNSUBSCRIBE, "", 1))
    tokens = sql(
        home,
        f"select review_token from marts.review_queue where campaign_id = '{CAMPAIGN}' "
        "and lint_passed order by review_token limit 2",
    )["review_token"]
    approve(home, tokens, AS_OF)
    assert main(["run", "--home", str(home), "--as-of", AS_OF]) == 0

    failing = sql(
        home,
        f"select item, reason from marts.launch_readiness where campaign_id = '{CAMPAIGN}' and "
        f"not passed",
    ).to_dicts()
    assert [f["item"] for f in failing] == ["unsubscribe handling exists"]
    assert (
        sql(
            home,
            "select count(*) as n from marts.launch_readiness where campaign_id <> "
            f"'{CAMPAIGN}' and not passed",
        )["n"][0]
        == 0
    )
    page = (home / "exports" / "review" / AS_OF / f"{CAMPAIGN}.html").read_text()
    assert "NOT READY" in page and "unsubscribe handling exists" in page
    assert main(["queue", "export", "--home", str(home), "--as-of", AS_OF]) == 0

    with SmtpServer() as server:
        capsys.readouterr()
        assert send_live(home, server, monkeypatch, AS_OF, AT) == 0
        out = capsys.readouterr().out
        assert server.received == []
        assert out.count("campaign not launch-ready: unsubscribe handling exists") == 2

        # completed: the readiness passes on the next run and the same approvals go out
        campaigns.write_text(complete)
        assert main(["run", "--home", str(home), "--as-of", AS_OF]) == 0
        assert sql(
            home,
            f"select is_ready from marts.launch_readiness_status where campaign_id = '{CAMPAIGN}'",
        )["is_ready"][0]
        assert send_live(home, server, monkeypatch, AS_OF, AT) == 0
        assert len(server.received) == 2


def test_a_new_team_proves_the_suppression_door_with_a_test_row(built_demo, tmp_path):
    """No suppression received yet: the item fails and says how to prove the door; a test
    row for an address that is nobody's passes it (it suppresses no prospect)."""
    import os
    import time
    from datetime import date

    import duckdb

    from assets.ingestion.ingest import ingest_kind
    from core.config import load_config
    from core.workspace import Workspace
    from tests.warehouse import run_dbt

    home = copy_of(built_demo, tmp_path / "ws")
    ws = Workspace.resolve(home)
    with duckdb.connect(str(ws.warehouse)) as con:
        con.execute("delete from raw.suppressions")
        con.execute("delete from raw.file_ledger where kind = 'suppressions'")
    select = "stg_raw__suppressions int_suppressions_current launch_readiness"
    flags = ("--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")
    assert run_dbt(home, "build", select, AS_OF, *flags).returncode == 0
    item = "select passed, reason from marts.launch_readiness where item = 'suppression is working'"
    before = sql(home, item).to_dicts()
    assert before and not any(r["passed"] for r in before)
    assert "door_test.csv" in before[0]["reason"]
    for path in ws.landing("suppressions").glob("*"):
        path.unlink()
    door = ws.landing("suppressions") / "door_test.csv"
    door.write_text("email,reason\nsuppression-test@example.invalid,do_not_contact\n")
    os.utime(door, (time.time() - 60, time.time() - 60))
    with duckdb.connect(str(ws.warehouse)) as con:
        config = load_config(ws.config_dir)
        suppressions = ws.landing("suppressions")
        ingest_kind(con, "suppressions", suppressions, home, date.fromisoformat(AS_OF), config, "t")
    assert run_dbt(home, "build", select, AS_OF, *flags).returncode == 0
    after = sql(home, item).to_dicts()
    assert all(r["passed"] for r in after), after
