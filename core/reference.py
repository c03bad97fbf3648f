"""Reference data, read from the dbt seeds: one home for each list, shared by SQL and
Python. A seed is small and fixed for a release, so each is read once per process."""

from __future__ import annotations

import csv
from functools import cache

from core.dbt_project import DBT_PROJECT_DIR

SEEDS = DBT_PROJECT_DIR / "seeds"


@cache
def seed(name: str) -> tuple[dict[str, str], ...]:
    """The rows of `dbt_project/seeds/<name>.csv`, as text."""
    with (SEEDS / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))


def _true(value: str) -> bool:
    return value.strip().lower() == "true"


@cache
def authorities_that_may_send() -> frozenset[str]:
    """The send authorities whose drafts may be approved to send (seed send_authorities)."""
    return frozenset(r["send_authority"] for r in seed("send_authorities") if _true(r["may_send"]))


@cache
def mentionable_evidence_classes() -> tuple[str, ...]:
    """The evidence classes a message may mention (seed evidence_classes, may_be_mentioned)."""
    return tuple(
        r["evidence_class"] for r in seed("evidence_classes") if _true(r["may_be_mentioned"])
    )


@cache
def evidence_classes() -> tuple[str, ...]:
    """The framework's evidence classes, in the seed's order (seed evidence_classes)."""
    return tuple(r["evidence_class"] for r in seed("evidence_classes"))


@cache
def crm_stages() -> tuple[str, ...]:
    """The CRM stages, in their order (seed crm_stages)."""
    rows = sorted(seed("crm_stages"), key=lambda r: int(r["stage_order"]))
    return tuple(r["crm_stage"] for r in rows)


def business_event_types() -> tuple[str, ...]:
    """The event types a business-events landing file may carry: the state machine's CRM
    and calendar facts (seed sequence_event_types, source_system crm)."""
    return tuple(
        r["event_type"] for r in seed("sequence_event_types") if r["source_system"] == "crm"
    )


@cache
def reply_defaults() -> dict[str, dict[str, str]]:
    """Per reply class a person answers (seed reply_actions, creates_task: each such reply
    becomes a task), in the seed's order: its routes_to and respond_within_hours."""
    return {
        r["reply_class"]: {"routes_to": r["routes_to"], "hours": r["respond_within_hours"]}
        for r in seed("reply_actions")
        if _true(r["creates_task"])
    }


def reply_task_classes() -> tuple[str, ...]:
    """The reply classes that make a task, in the seed's order."""
    return tuple(reply_defaults())
