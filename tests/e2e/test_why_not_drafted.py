"""Why a person got no draft: marts.outreach_eligibility, the run summary's reasons and
`outreach explain EMAIL`, on the demo and on a user's own hand-written lead list."""

import pytest
from dagster import DagsterInstance

from core.workspace import Workspace
from dagster_project.cli import main
from tests.warehouse import warehouse_sql as sql

pytestmark = pytest.mark.e2e


def test_every_prospect_and_campaign_has_one_row_and_drafts_match_the_queue(built_demo):
    [(prospects, campaigns)] = sql(
        built_demo,
        "select (select count(*) from marts.prospects), "
        "(select count(*) from staging.stg_config__campaigns)",
    ).rows()
    rows = sql(built_demo, "select * from marts.outreach_eligibility")
    assert rows.height == prospects * campaigns
    ready = set(rows.filter(rows["is_drafted_for_review"])["communication_id"].to_list())
    queued = set(
        sql(built_demo, "select communication_id from drafting.drafts where lint_passed")[
            "communication_id"
        ].to_list()
    )
    assert ready == queued and ready
    # a pair with no draft ready always says why; one with a draft never does
    assert rows.filter(~rows["is_drafted_for_review"])["blocking_reason"].null_count() == 0
    assert rows.filter(rows["is_drafted_for_review"])["blocking_reason"].null_count() == len(ready)


def test_a_suppressed_person_is_explained_by_the_suppression(built_demo, capsys):
    [(email, reason)] = sql(
        built_demo,
        """select e.email, e.blocking_reason from marts.outreach_eligibility e
           where e.blocking_reason like 'suppressed:%' and e.email is not null
           order by e.email limit 1""",
    ).rows()
    assert main(["explain", email.upper(), "--home", str(built_demo)]) == 0
    out = capsys.readouterr().out
    assert f"{email}: prospect" in out
    assert reason in out


def test_an_unknown_address_says_where_to_look(built_demo, capsys):
    assert main(["explain", "nobody@nowhere.example", "--home", str(built_demo)]) == 1
    assert "raw.quarantine" in capsys.readouterr().out


def test_a_hand_written_lead_list_with_only_required_columns_says_why_nothing_was_drafted(
    tmp_path, capsys, monkeypatch
):
    """A user's first day: `outreach init`, ten leads typed by hand (the columns that must
    have values, names and an email), no evidence landed. `outreach run` accepts the starter
    config as it is, ingests every row (the missing columns are null), drafts nothing, and
    says why, per reason and per person."""
    assert main(["init", str(tmp_path / "mine")]) == 0
    workspace = Workspace(tmp_path / "mine")
    lines = ["source_id,source_record,captured_on,first_name,last_name,email"]
    lines += [
        f"crm_export,hand-{i},2026-11-20,Pat{i},Ng,person{i}@acme-{i}.example" for i in range(10)
    ]
    # the same contact exported twice without a name: one person, not a conflict
    lines += [f"crm_export,hand-{i},2026-11-2{i - 10},,,desk@acme-x.example" for i in (10, 11)]
    (workspace.landing("leads") / "my_leads.csv").write_text("\n".join(lines) + "\n")
    # as a user runs it: the run is recorded in the workspace's own Dagster instance,
    # the one `make dev` shows
    monkeypatch.delenv("OUTREACH_RUN_HISTORY")
    assert main(["run", "--home", str(workspace.home), "--as-of", "2026-11-24"]) == 0
    out = capsys.readouterr().out
    # as the UI opens it: DAGSTER_HOME names the instance (its storage's base_dir too)
    monkeypatch.setenv("DAGSTER_HOME", str(workspace.dagster_home))
    with DagsterInstance.get() as instance:
        [record] = instance.get_run_records()
        assert record.dagster_run.is_success
        assert record.dagster_run.tags["dagster/partition"] == "2026-11-24"
    [(leads, quarantined)] = sql(
        workspace.home,
        "select (select count(*) from raw.leads), (select count(*) from raw.quarantine)",
    ).rows()
    assert (leads, quarantined) == (12, 0)
    nameless = sql(
        workspace.home,
        "select distinct identity_status from intermediate.int_lead_records_resolved as r "
        "join raw.leads as l using (lead_record_id) where l.email = 'desk@acme-x.example'",
    )["identity_status"].to_list()
    assert "Conflicting" not in nameless and len(nameless) >= 1
    assert "no draft for review" in out
    reasons = sql(
        workspace.home,
        "select distinct blocking_reason from marts.outreach_eligibility",
    )["blocking_reason"].to_list()
    assert None not in reasons
    assert main(["explain", "person3@acme-3.example", "--home", str(workspace.home)]) == 0
    explained = capsys.readouterr().out
    assert "person3@acme-3.example: prospect" in explained and "blocked:" in explained
