"""Controlled experiments, measured by the real dbt models on a real DuckDB file: with
generated outcomes, a planted difference in positive replies is recovered (significant,
the p-value the same as an independent computation), an A/A split names no winner, and
too small a sample says so instead of naming one. Assignment is a stable hash, roughly
even, and the variant changes the CTA but never the claim."""

import random
from statistics import NormalDist

import duckdb
import polars as pl
import pytest

from assets.drafting.drafts import arm_of
from assets.ingestion.config_tables import experiment_arms
from core.config import ConfigError, load_config
from tests.warehouse import run_dbt

pytestmark = pytest.mark.integration

CAMPAIGN = "diag_uk_email_pilot"


def _outcomes(experiment: str, arms: dict[str, tuple[int, float]], seed: int) -> pl.DataFrame:
    """n prospects per arm, each replying positively with the arm's probability."""
    rng = random.Random(seed)
    rows = []
    for arm, (n, p) in arms.items():
        for i in range(n):
            positive = int(rng.random() < p)
            rows.append(
                {
                    "campaign_id": CAMPAIGN,
                    "experiment_id": experiment,
                    "arm_id": arm,
                    "prospect_id": f"pr_{experiment}_{arm}_{i}",
                    "replied": max(positive, int(rng.random() < 0.1)),
                    "replied_positively": positive,
                    "booked_qualified": int(positive and rng.random() < 0.3),
                }
            )
    return pl.DataFrame(rows)


def _z_test_p(x1: int, n1: int, x0: int, n0: int) -> float:
    pooled = (x1 + x0) / (n1 + n0)
    z = (x1 / n1 - x0 / n0) / (pooled * (1 - pooled) * (1 / n1 + 1 / n0)) ** 0.5
    return 2 * (1 - NormalDist().cdf(abs(z)))


@pytest.fixture(scope="module")
def results(tmp_path_factory, config) -> pl.DataFrame:
    home = tmp_path_factory.mktemp("experiments")
    warehouse = home / "warehouse.duckdb"
    base = experiment_arms(config).filter(pl.col("campaign_id") == CAMPAIGN)
    # the example experiment three times: planted difference, A/A, and a small sample
    arms = pl.concat(
        [
            base.with_columns(experiment_id=pl.lit("planted")),
            base.with_columns(experiment_id=pl.lit("a_a")),
            base.with_columns(experiment_id=pl.lit("small")),
        ]
    ).with_columns(config_version=pl.lit("test"))
    outcomes = pl.concat(
        [
            _outcomes("planted", {"checklist": (1500, 0.08), "short_call": (1500, 0.13)}, seed=1),
            _outcomes("a_a", {"checklist": (1500, 0.10), "short_call": (1500, 0.10)}, seed=2),
            _outcomes("small", {"checklist": (40, 0.05), "short_call": (40, 0.30)}, seed=3),
        ]
    ).with_columns(exposed_on=pl.lit("2026-11-02").str.to_date())
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema config")
        con.execute("create schema intermediate")
        con.register("a", arms)
        con.execute("create table config.experiment_arms as select * from a")
        con.register("o", outcomes)
        con.execute("create table intermediate.int_experiment_outcomes as select * from o")
    done = run_dbt(home, "run", "stg_config__experiment_arms experiment_results")
    assert done.returncode == 0, done.stdout[-3000:]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.sql("select * from marts.experiment_results").pl(), outcomes


def _arm(results, experiment: str, arm: str) -> dict:
    frame, _ = results
    return frame.filter(
        (pl.col("experiment_id") == experiment) & (pl.col("arm_id") == arm)
    ).to_dicts()[0]


def test_a_planted_difference_is_recovered(results):
    _, outcomes = results
    treated = _arm(results, "planted", "short_call")
    control = _arm(results, "planted", "checklist")
    assert treated["sample_size"] == 1500 and control["sample_size"] == 1500
    assert treated["is_winner"] and treated["positive_reply_significant"]
    assert treated["verdict"].startswith("better than the control on positive_reply_rate")
    # the SQL statistics agree with an independent computation
    counts = (
        outcomes.filter(pl.col("experiment_id") == "planted")
        .group_by("arm_id")
        .agg(pl.col("replied_positively").sum())
    )
    x = dict(counts.iter_rows())
    assert treated["positive_reply_count"] == x["short_call"]
    expected = _z_test_p(x["short_call"], 1500, x["checklist"], 1500)
    assert treated["positive_reply_p_value"] == pytest.approx(expected, abs=1e-6)
    # the 95% interval holds the arm's observed rate and is narrower than +-5 points
    assert (
        treated["positive_reply_ci_low"]
        < treated["positive_reply_rate"]
        < treated["positive_reply_ci_high"]
    )
    assert treated["positive_reply_ci_high"] - treated["positive_reply_ci_low"] < 0.05
    assert control["verdict"] == "control" and not control["is_winner"]


def test_an_a_a_split_names_no_winner(results):
    same = _arm(results, "a_a", "short_call")
    assert not same["is_winner"] and not same["positive_reply_significant"]
    assert same["verdict"].startswith("no significant difference")
    assert same["positive_reply_p_value"] > 0.05


def test_too_small_a_sample_says_so_instead_of_naming_a_winner(results):
    small = _arm(results, "small", "short_call")
    assert small["sample_size"] == 40
    assert not small["is_winner"]
    assert small["verdict"].startswith("too small a sample to name a winner: 40 in this arm")


def test_assignment_is_stable_and_even_and_a_variant_keeps_the_claim(config):
    """The arm is a hash of experiment and prospect: the same in SQL on every run."""
    arms = experiment_arms(config).filter(pl.col("campaign_id") == CAMPAIGN)
    prospects = pl.DataFrame({"prospect_id": [f"pr_{i:05d}" for i in range(4000)]})
    with duckdb.connect() as con:
        con.register("arms", arms)
        con.register("prospects", prospects)
        query = """select p.prospect_id, a.arm_id from prospects p join arms a
            on (cast(('0x' || substr(md5(a.experiment_id || '|' || p.prospect_id), 1, 8)) as
            bigint) % a.total_weight)
               between a.bucket_from and a.bucket_to - 1 order by 1"""
        first, second = con.sql(query).pl(), con.sql(query).pl()
    assert first.equals(second) and first.height == 4000
    share = first.filter(pl.col("arm_id") == "short_call").height / 4000
    assert 0.46 < share < 0.54
    campaign = next(c for c in config.campaigns if c.campaign_id == CAMPAIGN)
    variant = arm_of(campaign, "first_touch_cta", "short_call")
    assert variant.cta_id == "short_call"
    assert not hasattr(variant, "claim_id")


def test_a_variant_that_changes_a_claim_is_refused(workspace):
    path = workspace.config_dir / "campaigns.yml"
    path.write_text(
        path.read_text().replace(
            "            cta_id: short_call\n",
            "            cta_id: short_call\n            claim_id: diagnostic_30min\n",
            1,
        )
    )
    with pytest.raises(ConfigError, match="a variant never changes a claim or the send authority"):
        load_config(workspace.config_dir)
