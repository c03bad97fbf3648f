"""Governed response drafts: an answer to a human reply, for a person to review.

For each row of marts.response_candidates (the latest sure Interested, Question or
Objection reply of a pair): an Interested reply gets an Appointment Follow-Up with the
offer's booking CTA; a Question or an Objection gets a Value Add Follow-Up whose answer is
an approved answer (config offers.yml approved_answers) chosen by its keywords, word for
word. A reply no approved answer fits gets no draft: its task stays with its owner
(marts.reply_tasks). The draft goes through the same lint, review queue and send gate as
every other message; it is step 0 of the pair (outside the sequence, which the reply
already stopped) and threads to the reply it answers."""

import re

import polars as pl

from assets.drafting.message import communication_id, compose
from core.config import ApprovedAnswer, Channel, MessageType, Offer, OutreachConfig
from core.message_lint import MessageContext, lint_message
from core.normalise import visible

RESPONSE_STEP = 0
OPENING = {
    "Interested": "Thank you for getting back to me.",
    "Question": "Thank you for your question.",
    "Objection": "Thank you for telling me.",
}
MESSAGE_TYPE = {
    "Interested": MessageType.APPOINTMENT_FOLLOW_UP,
    "Question": MessageType.VALUE_ADD_FOLLOW_UP,
    "Objection": MessageType.VALUE_ADD_FOLLOW_UP,
}


def approved_answer(offer: Offer, reply_class: str, text: str) -> ApprovedAnswer | None:
    """The first approved answer for this kind of reply one of whose keywords is in it."""
    words = re.sub(r"\s+", " ", text.lower())
    for answer in offer.approved_answers:
        if answer.answers == reply_class and any(
            re.search(rf"\b{re.escape(k.lower())}\b", words) for k in answer.keywords
        ):
            return answer
    return None


def render_responses(candidates: pl.DataFrame, config: OutreachConfig) -> list[dict]:
    """The response drafts (rows of drafting.drafts without their identity columns); a
    reply no approved answer fits gets none."""
    campaigns = {c.campaign_id: c for c in config.campaigns}
    offers = {o.offer_id: o for o in config.offers}
    rows = []
    for c in candidates.iter_rows(named=True):
        campaign, offer = campaigns[c["campaign_id"]], offers[c["offer_id"]]
        cta = offer.booking_cta
        answer = None
        if c["reply_class"] != "Interested":
            answer = approved_answer(offer, c["reply_class"], c["reply_text"] or "")
            if answer is None:
                continue
        first = visible(c["first_name"] or "there")
        middle = f"\n\n{answer.text}" if answer else ""
        rendered = f"Hi {first},\n\n{OPENING[c['reply_class']]}{middle}\n\n{cta.text}"
        body = compose(campaign, Channel.EMAIL, rendered, config)
        thread = c["thread_subject"] or ""
        subject = thread if thread.lower().startswith("re:") else f"Re: {thread}".strip()
        lint = lint_message(
            subject,
            body,
            MessageContext(
                channel=Channel.EMAIL,
                # approved answers are approved wording, like the claims
                approved_claims=tuple(x.text for x in offer.approved_claims)
                + tuple(x.text for x in offer.approved_answers),
                ctas=tuple(x.text for x in offer.ctas),
            ),
            config.messaging,
        )
        rows.append(
            {
                # one response per reply answered: the reply's own hash names it
                "communication_id": communication_id(
                    c["prospect_id"], c["campaign_id"], f"response|{c['message_hash']}"
                ),
                "prospect_id": c["prospect_id"],
                "campaign_id": c["campaign_id"],
                "step": RESPONSE_STEP,
                "message_type": str(MESSAGE_TYPE[c["reply_class"]]),
                "channel": str(Channel.EMAIL),
                "send_authority": str(campaign.send_authority),
                "recipient": c["recipient"],
                "subject": subject,
                "body": body,
                "evidence_id": c["evidence_id"],
                "claim_id": answer.answer_id if answer else None,
                "cta_id": cta.cta_id,
                "answers_message": c["message_hash"],
                "lint": lint,
            }
        )
    return rows
