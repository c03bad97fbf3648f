"""What the dbt project promises its users, read from the prepared manifest: exposures
for the review queue, the send job, the report and the handoffs that depend on the
marts they really read; every seed state and event type the rules name exists."""

import csv
import json
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
    assert reads["review_queue_export"] == {"review_queue", "launch_readiness"}
    assert reads["send_job"] == {
        "send_queue",
        "pilot_gate_status",
        "deliverability_monitor",
        "launch_readiness_status",
        "suppressions",
        "int_lead_records_resolved",
    }
    assert {"funnel_daily", "funnel_campaign", "pilot_gate"} <= reads["funnel_report"]
    assert reads["sales_handoff_briefs"] == {"sales_handoffs"}


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
    from assets.landing_schemas import EVENT_TYPES

    events = {r["event_type"] for r in rows("sequence_event_types")}
    assert set(EVENT_TYPES) - {"reply_reclassified"} <= events
