"""The governance marts hold the generator's truth (real dbt on a real DuckDB file)."""

from pathlib import Path

import duckdb
import polars as pl
import pytest

from dagster_project.cli import main
from tests.warehouse import run_dbt
from tests.warehouse import warehouse_sql as sql

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def demo(built_demo):
    """The session's built demo workspace, read only (tests that write copy it)."""
    return built_demo


def records_with_truth(home: Path) -> pl.DataFrame:
    recs = sql(
        home,
        "select regexp_extract(l._source_file, '[^/]+$') as file, l._row_number as row_number, "
        "r.prospect_id, r.identity_status from marts.prospect_records as r "
        "inner join raw.leads as l using (lead_record_id)",
    )
    truth = pl.read_parquet(home / "truth" / "lead_rows.parquet")
    return truth.join(recs, on=["file", "row_number"], how="inner")


def test_suppressed_people_are_never_candidates(demo):
    suppressions = pl.read_csv(demo / "landing" / "suppressions" / "suppressions.csv")
    assert set(suppressions["scope"]) == {"global", "channel", "client"}
    candidates = sql(
        demo,
        "select c.prospect_id, c.channel, c.client_id, p.email, p.company_domain "
        "from marts.draft_candidates c join marts.prospects p using (prospect_id)",
    )
    assert candidates.height > 0

    def named(scope: str, column: str, scope_value: str | None = None) -> set[str]:
        rows = suppressions.filter(pl.col("scope") == scope)
        if scope_value is not None:
            rows = rows.filter(pl.col("scope_value") == scope_value)
        return set(rows[column].drop_nulls().str.to_lowercase())

    # global: nowhere; channel: not on that channel; client: not in that client's campaigns
    assert not set(candidates["email"].drop_nulls()) & named("global", "email")
    assert not set(candidates["company_domain"].drop_nulls()) & named("global", "domain")
    linkedin = candidates.filter(pl.col("channel") == "linkedin")
    assert not set(linkedin["email"].drop_nulls()) & named("channel", "email", "linkedin")
    for client, rows in candidates.group_by("client_id"):
        assert not set(rows["company_domain"]) & named("client", "domain", client[0])
    # a channel-scoped suppression leaves the other channels open (it is not global)
    email = candidates.filter(pl.col("channel") == "email")
    assert set(email["email"].drop_nulls()) & named("channel", "email", "linkedin")
    # and every prospect holding a globally suppressed address is marked suppressed
    holders = sql(
        demo,
        "select distinct r.prospect_id, r.email_address_key from "
        "intermediate.int_lead_records_resolved r",
    )
    holding = set(
        holders.filter(pl.col("email_address_key").is_in(list(named("global", "email"))))[
            "prospect_id"
        ]
    )
    flagged = set(
        sql(demo, "select prospect_id from marts.prospects where is_suppressed")["prospect_id"]
    )
    assert holding and holding <= flagged


def test_bad_identity_rows_are_conflicting_or_duplicate(demo):
    joined = records_with_truth(demo)
    persons = pl.read_parquet(demo / "truth" / "persons.parquet").select(
        pl.col("person_id").alias("address_owner"), "email"
    )
    truth = pl.read_parquet(demo / "truth" / "lead_rows.parquet")
    # a conflict is visible when the address's owner has another usable record of it
    # (shared mailboxes like info@ never link records, by design)
    owners_with_usable_record = set(
        truth.filter((pl.col("expected_table") == "raw") & (pl.col("defect") == ""))[
            "true_person_id"
        ]
    )
    conflicting = (
        joined.filter(pl.col("defect") == "conflicting_identity")
        .with_columns(address_owner=pl.col("true_person_id"))
        .join(truth.select("file", "row_number", "company_id"), on=["file", "row_number"])
    )
    # the generator labels a conflicting row X<row>; its address's owner is found by address
    emails = sql(
        demo,
        "select regexp_extract(l._source_file, '[^/]+$') as file, l._row_number as row_number, "
        "l.email_normalised from raw.leads l",
    )
    visible = (
        conflicting.join(emails, on=["file", "row_number"])
        .with_columns(pl.col("email_normalised").str.to_lowercase().alias("email"))
        .drop("address_owner")
        .join(persons, on="email", how="inner")
        .filter(
            pl.col("address_owner").is_in(list(owners_with_usable_record))
            & ~pl.col("email").str.starts_with("info@")
        )
    )
    assert visible.height > 0
    assert set(visible["identity_status"]) == {"Conflicting"}
    # a person seen twice has exactly one record that is not a Duplicate (unless in conflict)
    repeated = (
        joined.filter(pl.col("identity_status") != "Conflicting")
        .group_by("true_person_id")
        .agg(
            pl.len().alias("n"), (pl.col("identity_status") != "Duplicate").sum().alias("primaries")
        )
    )
    assert repeated.filter(pl.col("n") > 1).height > 0
    # probable matches (same initial and surname at one company, no usable email) can
    # join two real people: measured, and held under 0.5% of people
    wrong = repeated.filter(pl.col("primaries") != 1).height
    assert wrong / repeated.height < 0.005, wrong


def test_ai_inference_is_never_safe_and_never_offered(demo):
    unsafe = sql(
        demo,
        "select count(*) as n from intermediate.int_evidence_classified where evidence_class in "
        "('AI Inference', 'Unverified Claim') and is_safe_to_mention",
    )
    assert unsafe["n"][0] == 0
    offered = sql(demo, "select distinct evidence_class from marts.draft_candidates")
    assert set(offered["evidence_class"]) <= {"Verified Fact", "Public Observation"}


def test_prospect_ids_do_not_depend_on_row_order(demo, tmp_path):
    before = sql(demo, "select source_id, source_record, prospect_id from marts.prospect_records")
    home = tmp_path / "shuffled"
    import shutil

    shutil.copytree(demo / "config", home / "config")
    for path in (demo / "landing").rglob("*.*"):
        target = home / "landing" / path.relative_to(demo / "landing")
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".csv":
            pl.read_csv(path, infer_schema=False).sample(
                fraction=1.0, shuffle=True, seed=1
            ).write_csv(target)
        else:
            shutil.copyfile(path, target)
    assert main(["run", "--home", str(home), "--as-of", "2026-11-24"]) == 0
    after = sql(home, "select source_id, source_record, prospect_id from marts.prospect_records")
    joined = before.join(after, on=["source_id", "source_record"], suffix="_after")
    assert joined.height == before.height
    assert (joined["prospect_id"] == joined["prospect_id_after"]).all()


@pytest.mark.parametrize("key", ["email", "domain"])
def test_suppression_reaching_a_candidate_fails_the_blocking_test(demo, tmp_path, key):
    """A suppression that lands after candidates were built is caught by the independent check."""
    import shutil

    home = tmp_path / key
    shutil.copytree(demo, home)
    [(email, domain)] = sql(
        home,
        "select p.email, p.company_domain from marts.draft_candidates c join marts.prospects p "
        "using (prospect_id) order by 1 limit 1",
    ).rows()
    assert run_dbt(home, "test", "assert_no_suppressed_draft_candidate").returncode == 0
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        con.execute(
            # as ingestion writes it: the match keys are derived at the door
            "insert into raw.suppressions (suppression_record_id, suppression_ref, email, "
            "email_normalised, email_key, domain, domain_normalised, domain_key, reason, scope, "
            "effective_at) values ('injected', 'INJ-1', ?, ?, ?, ?, ?, ?, 'unsubscribe', 'global', "
            "'2026-11-24T08:00:00Z')",
            [
                *([email] * 3 if key == "email" else [None] * 3),
                *([domain] * 3 if key == "domain" else [None] * 3),
            ],
        )
    failed = run_dbt(home, "test", "assert_no_suppressed_draft_candidate")
    assert failed.returncode != 0
    assert "FAIL" in failed.stdout
