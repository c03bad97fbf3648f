"""What the dbt project promises its users, read from the prepared manifest: exposures
for the review queue, the send job, the report and the handoffs that depend on the
marts they really read; every seed state and event type the rules name exists."""

import csv
import json
import re
from pathlib import Path

DBT = Path(__file__).resolve().parents[2] / "dbt_project"


def manifest() -> dict:
    return json.loads((DBT / "target" / "manifest.json").read_text())


def test_exposures_name_the_marts_each_interface_reads():
    exposures = {e["name"]: e for e in manifest()["exposures"].values()}
    reads = {
        name: {node.rsplit(".", 1)[-1] for node in e["depends_on"]["nodes"]}
        for name, e in exposures.items()
    }
    assert reads["review_queue_export"] == {
        "review_queue",
        "launch_readiness",
        "reply_tasks",
        "research_tasks",
    }
    assert reads["send_job"] == {
        "send_queue",
        "int_drafts_approved",
        "pilot_gate_status",
        "deliverability_monitor",
        "launch_readiness_status",
        "suppressions",
        "int_lead_records_resolved",
    }
    assert {"funnel_daily", "funnel_campaign", "pilot_gate"} <= reads["funnel_report"]
    assert reads["sales_handoff_briefs"] == {"sales_handoffs"}


def test_every_relation_python_reads_is_named_by_an_exposure():
    """Read the Python source for `marts.x`, `intermediate.x`, `staging.x`: every model
    named there is a dependency of some exposure (so dbt docs show who reads what)."""

    repo = DBT.parent
    named = set()
    for package in ("core", "assets", "checks", "dagster_project"):
        for path in (repo / package).rglob("*.py"):
            named |= set(
                re.findall(r"\b(?:marts|intermediate|staging)\.([a-z_]+)\b", path.read_text())
            )
    models = {n["name"] for n in manifest()["nodes"].values() if n["resource_type"] == "model"}
    exposed = {
        node.rsplit(".", 1)[-1]
        for e in manifest()["exposures"].values()
        for node in e["depends_on"]["nodes"]
    }
    assert named & models, "the reader found the relations Python reads"
    assert sorted((named & models) - exposed) == []


def test_every_mart_has_an_enforced_contract():
    marts = [
        n
        for n in manifest()["nodes"].values()
        if n["resource_type"] == "model" and n["fqn"][1] == "marts"
    ]
    assert len(marts) >= 20
    unenforced = [n["name"] for n in marts if not n["config"]["contract"]["enforced"]]
    untyped = [
        f"{n['name']}.{c['name']}"
        for n in marts
        for c in n["columns"].values()
        if not c.get("data_type")
    ]
    assert unenforced == [] and untyped == []


def test_source_is_read_only_in_staging():
    outside = [
        str(path.relative_to(DBT))
        for path in (DBT / "models").rglob("*.sql")
        if "staging" not in path.parts and re.search(r"\{\{\s*source\(", path.read_text())
    ]
    assert outside == []


def rows(seed: str) -> list[dict]:
    with (DBT / "seeds" / f"{seed}.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_transition_rules_name_only_known_states_and_events():
    states = {r["state"] for r in rows("sequence_state_types")}
    events = {r["event_type"] for r in rows("sequence_event_types")}
    for rule in rows("allowed_transitions"):
        assert rule["from_state"] in states | {"*"}, rule
        assert rule["event_type"] in events | {"*"}, rule
        assert rule["to_state"] in states | {"=", "FORBIDDEN"}, rule
    # the framework's sixteen states, and sending only ever from Ready To Send
    assert len(states) == 16
    senders = {
        r["from_state"]
        for r in rows("allowed_transitions")
        if r["event_type"] == "sent" and r["to_state"] != "FORBIDDEN"
    }
    assert senders == {"Ready To Send"}


def test_every_landing_event_type_is_an_event_the_machine_knows():
    from assets.ingestion.landing_schemas import EVENT_TYPES

    events = {r["event_type"] for r in rows("sequence_event_types")}
    assert set(EVENT_TYPES) - {"reply_reclassified"} <= events


def test_every_mart_says_its_grain_and_every_mart_column_what_it_means():
    """An analyst reads the marts from the dbt docs: each model's description names its
    grain ("One row per ...") and at least 98% of mart columns are described (today every
    one is; the doc blocks live in models/marts/_columns.md)."""
    marts = [
        n
        for n in manifest()["nodes"].values()
        if n["resource_type"] == "model" and n["fqn"][1] == "marts"
    ]
    assert marts
    for node in marts:
        assert re.search(r"one row per", node["description"], re.I), node["name"]
    columns = [(n["name"], c) for n in marts for c in n["columns"].values()]
    undescribed = [f"{m}.{c['name']}" for m, c in columns if not c.get("description", "").strip()]
    assert len(columns) > 400
    assert len(undescribed) <= 0.02 * len(columns), undescribed


def test_every_crm_stage_is_reachable():
    """A stage is reachable when an event type puts a pair in it (seed
    sequence_event_types) or crm_pipeline derives it (from the lead record, the
    qualification or the time since a send). No stage is listed that no pair can reach."""
    stages = {r["crm_stage"] for r in rows("crm_stages")}
    by_events = {r["crm_stage"] for r in rows("sequence_event_types") if r["crm_stage"]}
    pipeline = (DBT / "models" / "marts" / "crm_pipeline.sql").read_text()
    derived = {s for s in stages if re.search(rf"then '{re.escape(s)}'", pipeline)}
    assert stages - by_events - derived == set()
    assert by_events <= stages
