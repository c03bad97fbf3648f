"""The workspace's YAML configuration written as warehouse tables, so SQL can join it."""

import hashlib
import json
from datetime import date
from statistics import NormalDist

import polars as pl
from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    BackfillPolicy,
    MaterializeResult,
    multi_asset,
)

from core.config import OutreachConfig
from core.partitions import daily_partitions, run_date
from core.reference import reply_defaults
from core.resources import WarehouseResource, WorkspaceResource
from core.schema import ensure_operational_tables

CONFIG_TABLES = (
    "lead_sources",
    "campaigns",
    "offers",
    "scoring_rules",
    "channel_rules",
    "jurisdiction_rules",
    "offer_buyer_roles",
    "offer_countries",
    "evidence_rules",
    "campaign_audience",
    "sequence_steps",
    "privacy_settings",
    "experiment_arms",
    "reply_routing",
    "contact_budget",
)


def config_frames(config: OutreachConfig) -> dict[str, pl.DataFrame]:
    version = pl.lit(config.version)
    sources = pl.DataFrame(
        [
            s.model_dump(mode="json")
            | {"is_third_party": s.is_third_party, "notice_version": s.notice_version}
            for s in config.sources
        ],
        infer_schema_length=None,
    ).with_columns(pl.col("notice", "notice_version").cast(pl.String))
    campaigns = pl.DataFrame(
        [
            c.model_dump(
                mode="json",
                exclude={
                    "send_window",
                    "pilot_gate",
                    "audience_countries",
                    "audience_sources",
                    "sender",
                    "deliverability",
                    "experiments",
                    "reactivation",
                },
            )
            | {
                "send_window": c.send_window.model_dump_json(),
                "pilot_gate": c.pilot_gate.model_dump_json(),
                "sender_name": c.sender.name,
                "sender_email": c.sender.email,
                "sender_postal_address": c.sender.postal_address,
                "sender_unsubscribe_email": c.sender.unsubscribe_email,
                "sender_unsubscribe_url": c.sender.unsubscribe_url,
                "is_reactivation": c.reactivation is not None,
                "reactivate_not_now": bool(c.reactivation and c.reactivation.not_now),
                "reactivate_closed_lost_after_days": (
                    c.reactivation.closed_lost_after_days if c.reactivation else None
                ),
            }
            # thresholds as columns, so the pilot gate and the monitor are plain SQL
            | {f"pilot_{k}": v for k, v in c.pilot_gate.model_dump().items()}
            | {f"deliverability_{k}": v for k, v in c.deliverability.model_dump().items()}
            for c in config.campaigns
        ]
    )
    offers = pl.DataFrame(
        [
            o.model_dump(
                mode="json",
                # wording for drafting, not rows SQL joins (and lists have no portable type)
                exclude={"approved_claims", "ctas", "approved_answers", "booking_cta_id"},
            )
            for o in config.offers
        ]
    )
    scoring = config.scoring
    rules = pl.DataFrame(
        [
            {
                "factor": rule.factor,
                "points": rule.points,
                "rule": str(rule.when),
                "priority_one_min": scoring.priority_one_min,
                "priority_two_min": scoring.priority_two_min,
                "priority_three_min": scoring.priority_three_min,
            }
            for rule in scoring.rules
        ]
    )
    channels = pl.DataFrame([c.model_dump(mode="json") for c in config.channels.channels])
    jurisdictions = pl.DataFrame([j.model_dump(mode="json") for j in config.channels.jurisdictions])
    frames = {
        "lead_sources": sources,
        "campaigns": campaigns,
        "offers": offers,
        "scoring_rules": rules,
        "channel_rules": channels,
        "jurisdiction_rules": jurisdictions,
        # lists as rows, so SQL joins them the same way on every warehouse
        "offer_buyer_roles": pl.DataFrame(
            [{"offer_id": o.offer_id, "role": r} for o in config.offers for r in o.buyer_roles]
        ),
        "offer_countries": pl.DataFrame(
            [{"offer_id": o.offer_id, "country": c} for o in config.offers for c in o.countries]
        ),
    }
    frames["sequence_steps"] = pl.DataFrame(
        [
            {
                "sequence_id": q.sequence_id,
                "step": step.step,
                "message_type": str(step.message_type),
                "purpose": step.purpose,
                "wait_days": step.wait_days,
                "max_steps": q.max_steps,
                "is_final_step": step.step == q.max_steps,
            }
            for q in config.sequences
            for step in q.steps
        ]
    )
    frames["campaign_audience"] = pl.DataFrame(
        [
            {"campaign_id": c.campaign_id, "dimension": dimension, "value": value}
            for c in config.campaigns
            for dimension, values in (
                ("country", c.audience_countries),
                ("source", c.audience_sources),
            )
            for value in values
        ],
        schema={"campaign_id": pl.String, "dimension": pl.String, "value": pl.String},
    )
    frames["privacy_settings"] = pl.DataFrame([config.privacy.model_dump()])
    frames["experiment_arms"] = experiment_arms(config)
    frames["reply_routing"] = reply_routing(config)
    frames["contact_budget"] = pl.DataFrame([config.channels.contact_budget.model_dump()])
    evidence = config.evidence
    # one row per configured category, and a default row (category null) for the rest
    frames["evidence_rules"] = pl.DataFrame(
        [
            {
                "category": None,
                "max_age_days": evidence.max_age_days,
                "min_confidence": evidence.min_confidence,
                "is_sensitive": False,
            }
        ]
        + [
            {
                "category": c.category,
                "max_age_days": c.max_age_days or evidence.max_age_days,
                "min_confidence": evidence.min_confidence,
                "is_sensitive": c.sensitive,
            }
            for c in evidence.categories
        ],
        schema={
            "category": pl.String,
            "max_age_days": pl.Int64,
            "min_confidence": pl.Float64,
            "is_sensitive": pl.Boolean,
        },
    )
    return {name: frame.with_columns(config_version=version) for name, frame in frames.items()}


def reply_routing(config: OutreachConfig) -> pl.DataFrame:
    """One row per reply class that makes a task: who answers it (a name, or 'campaign
    owner') and within how many hours, the config's choice over the Reply Action Map's."""
    replies = config.replies
    rows = []
    for reply_class, default in reply_defaults().items():
        route = replies.classes.get(reply_class)
        rows.append(
            {
                "reply_class": reply_class,
                "owner": (route and route.owner) or default["routes_to"] or "campaign owner",
                "respond_within_hours": (route and route.respond_within_hours)
                or int(default["hours"]),
                "human_first_below": replies.human_first_below,
                "first_reader": replies.first_reader,
            }
        )
    return pl.DataFrame(
        rows,
        schema={
            "reply_class": pl.String,
            "owner": pl.String,
            "respond_within_hours": pl.Int64,
            "human_first_below": pl.Float64,
            "first_reader": pl.String,
        },
    )


def experiment_arms(config: OutreachConfig) -> pl.DataFrame:
    """One row per campaign x experiment x arm, with its share of the hash buckets
    [bucket_from, bucket_to) out of total_weight, and the two-sided critical z of the
    experiment's significance level (so the marts compare without a statistics library)."""
    rows = []
    for c in config.campaigns:
        for e in c.experiments:
            total = sum(a.weight for a in e.arms)
            start = 0
            for order, arm in enumerate(e.arms):
                changes = [
                    f"{name} {value}"
                    for name, value in (
                        ("cta", arm.cta_id),
                        ("purpose", arm.purpose),
                        ("wait_days", arm.wait_days),
                        ("subject", "changed" if arm.subject else None),
                        ("body", "changed" if arm.body else None),
                    )
                    if value is not None
                ]
                rows.append(
                    {
                        "campaign_id": c.campaign_id,
                        "experiment_id": e.experiment_id,
                        "step": e.step,
                        "hypothesis": e.hypothesis,
                        "primary_metric": str(e.primary_metric),
                        "significance_level": e.significance_level,
                        "z_critical": NormalDist().inv_cdf(1 - e.significance_level / 2),
                        "min_sample_per_arm": e.min_sample_per_arm,
                        "arm_id": arm.arm_id,
                        "arm_order": order,
                        "is_control": order == 0,
                        "weight": arm.weight,
                        "bucket_from": start,
                        "bucket_to": start + arm.weight,
                        "total_weight": total,
                        "cta_id": arm.cta_id,
                        "wait_days": arm.wait_days,
                        "changes": "; ".join(changes) or "control: the step as configured",
                    }
                )
                start += arm.weight
    return pl.DataFrame(rows, schema=EXPERIMENT_ARM_SCHEMA)


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:12]


def campaign_versions(config: OutreachConfig) -> pl.DataFrame:
    """One row per campaign: the hash of each part of the configuration its messages
    depend on, so a new workspace version shows which part changed for which campaign."""
    offers = {o.offer_id: o for o in config.offers}
    sequences = {q.sequence_id: q for q in config.sequences}
    rows = []
    for c in config.campaigns:
        offer, sequence = offers[c.offer_id], sequences[c.sequence_id]
        rows.append(
            {
                "campaign_id": c.campaign_id,
                "claims_hash": _digest([x.model_dump() for x in offer.approved_claims]),
                "ctas_hash": _digest([x.model_dump() for x in offer.ctas]),
                "targeting_hash": _digest(
                    offer.model_dump(exclude={"approved_claims", "ctas"})
                    | {"audience": [c.audience, c.audience_countries, c.audience_sources]}
                ),
                "templates_hash": _digest(
                    [(x.step, x.subject, x.body) for x in sequence.steps]
                    + [(a.arm_id, a.subject, a.body) for e in c.experiments for a in e.arms]
                ),
                "sequence_hash": _digest(
                    [
                        (x.step, x.message_type, x.purpose, x.wait_days, x.claim_id, x.cta_id)
                        for x in sequence.steps
                    ]
                ),
                "scoring_hash": _digest(config.scoring.model_dump()),
                "messaging_hash": _digest(config.messaging.model_dump()),
                "experiments_hash": _digest([e.model_dump() for e in c.experiments]),
                "campaign_hash": _digest(c.model_dump(exclude={"experiments"})),
                "sources_hash": _digest([x.model_dump() for x in config.sources]),
            }
        )
    return pl.DataFrame(rows)


def record_versions(con, config: OutreachConfig, as_of: date) -> int:
    """Append today's configuration version per campaign to config.version_history (kept
    across runs, never replaced): the learning marts compare versions by it."""
    ensure_operational_tables(con)
    frame = campaign_versions(config).with_columns(config_version=pl.lit(config.version))
    con.register("today_versions", frame)
    try:
        con.execute(
            """update config.version_history as h set last_seen_on = greatest(h.last_seen_on, ?),
                first_seen_on = least(h.first_seen_on, ?)
            from today_versions as t
            where h.campaign_id = t.campaign_id and h.config_version = t.config_version""",
            [as_of, as_of],
        )
        con.execute(
            """insert into config.version_history by name
            select t.*, cast(? as date) as first_seen_on, cast(? as date) as last_seen_on
            from today_versions as t
            where (t.campaign_id, t.config_version) not in (select (campaign_id, config_version)
            from config.version_history)""",
            [as_of, as_of],
        )
    finally:
        con.unregister("today_versions")
    return frame.height


EXPERIMENT_ARM_SCHEMA = {
    "campaign_id": pl.String,
    "experiment_id": pl.String,
    "step": pl.Int64,
    "hypothesis": pl.String,
    "primary_metric": pl.String,
    "significance_level": pl.Float64,
    "z_critical": pl.Float64,
    "min_sample_per_arm": pl.Int64,
    "arm_id": pl.String,
    "arm_order": pl.Int64,
    "is_control": pl.Boolean,
    "weight": pl.Int64,
    "bucket_from": pl.Int64,
    "bucket_to": pl.Int64,
    "total_weight": pl.Int64,
    "cta_id": pl.String,
    "wait_days": pl.Int64,
    "changes": pl.String,
}


@multi_asset(
    specs=[
        AssetSpec(
            AssetKey(["config", name]),
            group_name="ingestion",
            description=f"config/{name}: the workspace YAML, validated, as a table SQL can join.",
        )
        for name in CONFIG_TABLES
    ]
    + [
        AssetSpec(
            AssetKey(["config", "version_history"]),
            group_name="ingestion",
            description=(
                "config/version_history: per campaign, every configuration version (content "
                "hash) seen and when, with the hash of each part (claims, CTAs, targeting, "
                "templates, sequence, scoring, messaging, experiments, sources). Appended, "
                "never replaced."
            ),
        )
    ],
    partitions_def=daily_partitions,
    backfill_policy=BackfillPolicy.multi_run(1),
)
def config_tables(
    context: AssetExecutionContext, workspace: WorkspaceResource, warehouse: WarehouseResource
):
    """Validate the workspace configuration and write it to the `config` schema.

    A bad file fails here, first, with the file, the key and what is wrong."""
    config = workspace.load_config()
    with warehouse.connect() as con:
        con.execute("create schema if not exists config")
        for name, frame in config_frames(config).items():
            con.register("incoming_config", frame)
            con.execute(f"create or replace table config.{name} as select * from incoming_config")
            con.unregister("incoming_config")
            yield MaterializeResult(
                asset_key=AssetKey(["config", name]),
                metadata={"rows": frame.height, "config_version": config.version},
            )
        campaigns = record_versions(con, config, run_date(context))
        yield MaterializeResult(
            asset_key=AssetKey(["config", "version_history"]),
            metadata={"campaigns": campaigns, "config_version": config.version},
        )
