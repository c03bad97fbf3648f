"""`outreach acknowledge-breach`: a named human, a reason, the last day covered; refused
without them or for a campaign that does not exist. (What the gate does with it: the dbt
unit test a_breach_acknowledged_by_a_human_is_judged_from_then_on.)"""

import duckdb
import pytest

from dagster_project.cli import main

pytestmark = pytest.mark.integration

CAMPAIGN = "diag_uk_email_pilot"


def test_an_acknowledgement_records_who_why_and_through_when(workspace, capsys):
    args = ["acknowledge-breach", CAMPAIGN, "--home", str(workspace.home)]
    assert main([*args, "--by", "Dana Reviewer", "--reason", "feed fixed", "--as-of", "2026-11-24",
                 "--at", "2026-11-24T10:00:00"]) == 0  # fmt: skip
    with duckdb.connect(str(workspace.warehouse), read_only=True) as con:
        rows = con.execute("select * from review.breach_acknowledgements").fetchall()
    assert [tuple(map(str, r)) for r in rows] == [
        (CAMPAIGN, "Dana Reviewer", "feed fixed", "2026-11-24", "2026-11-24 10:00:00")
    ]
    assert "after 2026-11-24" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("campaign", "by", "reason", "said"),
    [
        ("no_such_campaign", "Dana", "why", "no campaign 'no_such_campaign'"),
        (CAMPAIGN, "  ", "why", "--by"),
        (CAMPAIGN, "Dana", "", "--reason"),
    ],
)
def test_an_acknowledgement_without_a_person_or_reason_is_refused(
    workspace, capsys, campaign, by, reason, said
):
    code = main(
        ["acknowledge-breach", campaign, "--by", by, "--reason", reason,
         "--home", str(workspace.home)]
    )  # fmt: skip
    assert code == 2 and said in capsys.readouterr().err
    assert (
        not workspace.warehouse.exists()
        or not duckdb.connect(str(workspace.warehouse), read_only=True)
        .execute("select count(*) from review.breach_acknowledgements")
        .fetchone()[0]
    )
