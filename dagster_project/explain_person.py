"""`outreach explain EMAIL`: one person's path towards a draft, read from the last run
(marts.outreach_eligibility), with their identity and any suppression in words."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from core.normalise import normalise_emails


def _key(email: str) -> str:
    frame = normalise_emails(pl.DataFrame({"email": [email]}), "email")
    return (frame["email_normalised"][0] or email).strip().lower()


def explain_person(warehouse: Path, email: str) -> list[str]:
    """Lines to print: a header per prospect with that address, then one line per campaign
    (stage reached and, when no draft is ready for review, the first reason)."""
    key = _key(email)
    if not Path(warehouse).exists():
        return [f"no prospect with the address {key}: no warehouse at {warehouse} (outreach run)"]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        try:
            rows = con.execute(
                """select prospect_id, campaign_id, channel, stage_reached, blocking_reason,
                          identity_status, lawful_basis, priority, sequence_state, as_of
                   from marts.outreach_eligibility where lower(email) = ?
                   order by prospect_id, campaign_id""",
                [key],
            ).fetchall()
        except duckdb.CatalogException:
            return [f"no prospect with the address {key}: the warehouse has no run yet"]
    if not rows:
        return [
            f"no prospect with the address {key} in the last run: the address is in no landing "
            "file, its rows were quarantined (raw.quarantine) or it was erased"
        ]
    lines: list[str] = []
    current = None
    for prospect, campaign, channel, stage, reason, identity, basis, priority, state, as_of in rows:
        if prospect != current:
            current = prospect
            lines.append(f"{key}: prospect {prospect}, identity {identity} (run of {as_of})")
        outcome = f"blocked: {reason}" if reason else "draft ready for review"
        detail = ", ".join(
            part
            for part in (
                f"priority {priority}" if priority else "",
                f"basis {basis}" if basis else "",
                f"sequence {state}" if state else "",
            )
            if part
        )
        lines.append(f"  {campaign} ({channel}): reached {stage}; {outcome}")
        if detail:
            lines.append(f"      {detail}")
    return lines
