"""Proposal follow-up drafts: one per proposal Follow-Up Due (marts.
proposal_follow_up_candidates), for a person to review.

The follow-up uses the actual proposal (framework: Proposal Follow Up Standard): it cites
the proposal's date, version and scope in the words of its record, asks the offer's booking
CTA, and states no other price, discount, scope or term: the lint's commitment rule allows
only the record's own scope and price (`proposal_terms`), so neither drafting nor a
reviewer's edit can change them (failure mode 19). It is step 0 of the pair (outside the
sequence, which stopped long before a proposal), the same review queue, lint and send gate
as every message; each follow-up of a proposal version has its own communication id."""

import polars as pl

from assets.drafting.message import communication_id, compose
from core.config import Channel, MessageType, OutreachConfig
from core.message_lint import MessageContext, lint_message
from core.normalise import visible

FOLLOW_UP_STEP = 0
SUBJECT = "Following up on our proposal (version {version})"
BODY = (
    "Hi {first_name},\n\n"
    "I'm following up on the proposal we sent on {sent_on} (version {version}): {scope}.\n\n"
    "If anything in it needs clarifying, or someone else should see it, I'm happy to help."
    "\n\n{cta}"
)


def proposal_terms(scope: str | None, price: float | None) -> tuple[str, ...]:
    """The terms a message about this proposal may state: its scope and its price, in the
    ways a price is written (4500, 4,500, 4500.00, 4,500.00)."""
    terms = [scope] if scope else []
    if price is not None:
        terms += [f"{price:.0f}", f"{price:,.0f}", f"{price:.2f}", f"{price:,.2f}"]
    return tuple(dict.fromkeys(terms))


def render_proposal_follow_ups(candidates: pl.DataFrame, config: OutreachConfig) -> list[dict]:
    """The proposal follow-up drafts (rows of drafting.drafts without their identity
    columns)."""
    campaigns = {c.campaign_id: c for c in config.campaigns}
    offers = {o.offer_id: o for o in config.offers}
    rows = []
    for c in candidates.iter_rows(named=True):
        campaign, offer = campaigns[c["campaign_id"]], offers[c["offer_id"]]
        cta = offer.booking_cta
        version = visible(c["proposal_version"] or "the latest")
        scope = visible(c["proposal_scope"] or "the work we discussed")
        subject = SUBJECT.format(version=version)
        rendered = BODY.format(
            first_name=visible(c["first_name"] or "there"),
            sent_on=c["proposal_sent_on"].strftime("%-d %B %Y"),
            version=version,
            scope=scope.rstrip("."),
            cta=cta.text,
        )
        body = compose(campaign, Channel.EMAIL, rendered, config)
        lint = lint_message(
            subject,
            body,
            MessageContext(
                channel=Channel.EMAIL,
                approved_claims=tuple(x.text for x in offer.approved_claims),
                ctas=tuple(x.text for x in offer.ctas),
                approved_terms=proposal_terms(c["proposal_scope"], c["proposal_price"]),
            ),
            config.messaging,
        )
        rows.append(
            {
                "communication_id": communication_id(
                    c["prospect_id"],
                    c["campaign_id"],
                    f"proposal|{c['proposal_version']}|{c['follow_up_number']}",
                ),
                "prospect_id": c["prospect_id"],
                "campaign_id": c["campaign_id"],
                "step": FOLLOW_UP_STEP,
                "message_type": str(MessageType.PROPOSAL_FOLLOW_UP),
                "channel": str(Channel.EMAIL),
                "send_authority": str(campaign.send_authority),
                "recipient": c["recipient"],
                "subject": subject,
                "body": body,
                "evidence_id": None,
                "claim_id": None,
                "cta_id": cta.cta_id,
                "answers_message": None,
                "lint": lint,
            }
        )
    return rows
