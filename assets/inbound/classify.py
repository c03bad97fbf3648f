"""One message in, its class and next action out: structure first, then words.

Order: delivery status reports and bounces (a bounce is a bounce, even with
Auto-Submitted: auto-replied), feedback reports (Complaint), auto-replies (Out Of
Office, with the return date), calendar replies (Booked), then the human reply's own
words with the quoted original and signature removed. The next action comes from the
Reply Action Map seed (dbt_project/seeds/reply_actions.csv)."""

import csv
from dataclasses import asdict, dataclass
from datetime import date
from email.utils import parsedate_to_datetime
from functools import cache
from pathlib import Path

from assets.inbound.dates import find_date, find_review_date
from assets.inbound.delivery_status import ADDRESS, bounces
from assets.inbound.parse import ParsedMail, body_text, parse_mail
from assets.inbound.reply_classes import STOP_CLASSES, classify_words
from assets.inbound.reply_meaning import CONFIDENCE_CAP, reader
from assets.inbound.reply_text import new_text, without_sign_off
from assets.inbound.structure import (
    calendar_reply,
    feedback_report,
    is_auto_reply,
    list_software_notice,
)

ACTION_MAP = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "reply_actions.csv"
# classes after which contact may continue: an opt-out or complaint must never land here
CONTINUES_CONTACT = frozenset(
    {"Interested", "Question", "Objection", "Not Now", "Referral", "Booked", "Out Of Office"}
)


# the reply's own words are kept for the person who answers it, up to this length
REPLY_TEXT_CHARS = 4000


def _kept(text: str) -> str:
    return text if len(text) <= REPLY_TEXT_CHARS else text[: REPLY_TEXT_CHARS - 1] + "…"


@dataclass(frozen=True)
class Classification:
    message_id: str | None
    in_reply_to: str | None
    references: tuple[str, ...]
    sender: str | None
    subject: str
    reply_class: str
    confidence: float
    next_action: str
    creates_suppression: bool
    stops_sequence: bool
    bounce_type: str | None = None
    bounce_reason: str | None = None
    bounce_status: str | None = None
    bounced_recipient: str | None = None
    return_on: date | None = None
    review_on: date | None = None
    referred_contact: str | None = None
    feedback_type: str | None = None
    evidence: str = ""
    # what the person wrote, without the quoted original or signature (human replies only)
    reply_text: str = ""
    # a reader saw a real chance of an opt-out or complaint in a reply it could not name
    # (the meaning model, `STOP_DOUBT`): contact is held and a person reads it first
    stop_suspected: bool = False
    defects: tuple[str, ...] = ()
    content_hash: str = ""

    def as_json(self, file: str | None = None) -> dict:
        out = asdict(self)
        out["references"] = list(self.references)
        out["defects"] = list(self.defects)
        for key in ("return_on", "review_on"):
            out[key] = out[key].isoformat() if out[key] else None
        return {"file": file, **out}


@cache
def action_map() -> dict[tuple[str, str], dict[str, str]]:
    with ACTION_MAP.open(newline="", encoding="utf-8") as handle:
        return {(r["reply_class"], r["bounce_type"]): r for r in csv.DictReader(handle)}


def _reference_date(mail: ParsedMail, fallback: date | None) -> date:
    try:
        return parsedate_to_datetime(mail.header("Date")).date()
    except (TypeError, ValueError, IndexError):
        return fallback or date(2000, 1, 1)


def classify(
    raw: bytes,
    as_of: date | None = None,
    our_lines: tuple[str, ...] = (),
    use_model: bool = True,
) -> Classification:
    """Classify one raw message; malformed mail is classified as far as it can be, never raised.
    `use_model=False`: the rules alone (the meaning model is never asked)."""
    mail = parse_mail(raw)
    reference = _reference_date(mail, as_of)
    facts: dict = {}
    held = False
    found = bounces(mail)
    if found:
        first = next((b for b in found if b.bounce_type == "hard"), found[0])
        if first.reason == "delivered":
            reply_class, confidence = "Unknown", 0.9
        else:
            reply_class, confidence = "Bounce", 0.95
        facts = {
            "bounce_type": first.bounce_type,
            "bounce_reason": first.reason,
            "bounce_status": first.status,
            "bounced_recipient": first.recipient,
            "evidence": first.diagnostic[:200],
        }
    elif (
        early := classify_words(
            f"{mail.subject}\n{(whole := new_text(body_text(mail.message), our_lines))}"
        )
    ).reply_class in STOP_CLASSES:
        # opt-out and complaint words win over everything but a bounce, auto-replies
        # included; they are looked for in all the person wrote, a P.S. after the sign-off too
        reply_class, confidence = early.reply_class, early.confidence
        facts = {"evidence": early.evidence[:200], "reply_text": _kept(whole)}
        if feedback := feedback_report(mail):
            reply_class, confidence = "Complaint", 0.99
            facts = {
                "feedback_type": feedback.feedback_type,
                "evidence": f"feedback report: {feedback.feedback_type}",
            }
    elif feedback := feedback_report(mail):
        reply_class, confidence = "Complaint", 0.99
        facts = {
            "feedback_type": feedback.feedback_type,
            "evidence": f"feedback report: {feedback.feedback_type}",
        }
    elif is_auto_reply(mail):
        text = without_sign_off(whole, mail.sender_name)
        reply_class, confidence = "Out Of Office", 0.9
        facts = {"return_on": find_date(text, reference), "evidence": mail.subject[:200]}
    elif list_software_notice(mail):
        # not a person's answer: a reviewer looks (Unknown), contact is neither continued
        # on its words nor stopped
        reply_class, confidence = "Unknown", 0.6
        facts = {"evidence": f"a mailing list program's notice: {mail.subject}"[:200]}
    elif (invite := calendar_reply(mail)) and invite.partstat == "ACCEPTED":
        reply_class, confidence = "Booked", 0.95
        facts = {"evidence": f"calendar reply accepted: {invite.summary}"[:200]}
    else:
        text = without_sign_off(whole, mail.sender_name)
        words = classify_words(text)
        reply_class, confidence = words.reply_class, words.confidence
        facts = {"evidence": words.evidence[:200], "reply_text": _kept(text)}
        if reply_class == "Unknown" and text.strip() and use_model and (model := reader()):
            reading = model.read(text)
            held = reading.holds_contact
            if reading.names_a_class:
                reply_class = reading.reply_class
                confidence = round(min(reading.probability, CONFIDENCE_CAP), 2)
            facts["evidence"] = reading.evidence
        if reply_class == "Out Of Office":
            facts["return_on"] = find_date(text, reference)
        if reply_class == "Not Now":
            facts["review_on"] = find_review_date(text, reference)
        if reply_class == "Referral":
            others = [a.lower() for a in ADDRESS.findall(text) if a.lower() != mail.sender]
            facts["referred_contact"] = others[0] if others else None
    action = (
        action_map().get((reply_class, facts.get("bounce_type") or ""))
        or action_map()[(reply_class, "")]
    )
    return Classification(
        message_id=mail.message_id,
        in_reply_to=mail.in_reply_to,
        references=mail.references,
        sender=mail.sender,
        subject=mail.subject,
        reply_class=reply_class,
        confidence=confidence,
        next_action=action["next_action"],
        creates_suppression=action["creates_suppression"] == "true",
        stops_sequence=action["stops_sequence"] == "true" or held,
        stop_suspected=held,
        defects=mail.defects,
        content_hash=mail.content_hash,
        **facts,
    )
