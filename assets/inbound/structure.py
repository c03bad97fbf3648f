"""Structure before words: feedback reports (RFC 5965), auto-replies (RFC 3834 and the
subjects people's mail systems use) and calendar replies (text/calendar METHOD:REPLY)."""

import re
from dataclasses import dataclass

from assets.inbound.parse import ParsedMail, part_text

AUTO_SUBJECTS = re.compile(
    r"out of (the )?office|automatic reply|auto(matic)?[- "
    r"]?(reply|response|antwort|respuesta)|autoreply|\bvacation\b|\bon (annual )?leave\b|\baway "
    r"from (the )?office|abwesenheit|nicht im büro|réponse automatique|reponse "
    r"automatique|absence|respuesta automática|fuera de la oficina|risposta automatica|fuori "
    r"ufficio|afwezig|automatisch antwoord|autosvar|frånvaro|poissa|自動応答|不在",
    re.I,
)
FEEDBACK_TYPE = re.compile(r"^feedback-type:\s*([\w-]+)", re.I | re.M)


@dataclass(frozen=True)
class Feedback:
    feedback_type: str
    original_recipient: str | None


def feedback_report(mail: ParsedMail) -> Feedback | None:
    message = mail.message
    is_arf = (
        message.get_content_type() == "multipart/report"
        and str(message.get_param("report-type", "")).lower() == "feedback-report"
    )
    for part in message.walk():
        if part.get_content_type() == "message/feedback-report":
            text = part_text(part) or str(part.get_payload())
            if isinstance(part.get_payload(), list):
                text = "\n".join(str(p) for p in part.get_payload())
            kind = FEEDBACK_TYPE.search(text)
            recipient = re.search(r"^original-rcpt-to:\s*<?([^>\s]+)>?", text, re.I | re.M)
            return Feedback(
                kind[1].lower() if kind else "abuse", recipient[1].lower() if recipient else None
            )
    if is_arf:
        return Feedback("abuse", None)
    # Hotmail's older complaint format: the complained-of message attached, no ARF part
    if re.match(r"complaint about message from", mail.subject, re.I):
        return Feedback("abuse", None)
    # some providers (Amazon SES notifications, Yahoo) forward complaints without the ARF part
    return None


# list software's own notices (not a member, loop alert, moderation): written by a
# program for a list, never a person's answer to our message
LIST_SOFTWARE_HEADERS = ("X-MLServer", "X-ML-Name", "Mailing-List", "List-Id", "X-Mailman-Version")
LIST_SOFTWARE_SENDERS = re.compile(
    r"^[^@]*(-admin|-request|-owner|-bounces|^owner-|mailman|majordomo|listserv|ezmlm|fml)[^@]*@",
    re.I,
)


def list_software_notice(mail: ParsedMail) -> bool:
    """A mailing list program's notice: a list header and a list program's sender."""
    return any(mail.header(h) for h in LIST_SOFTWARE_HEADERS) and bool(
        LIST_SOFTWARE_SENDERS.search(mail.sender or "")
    )


def is_auto_reply(mail: ParsedMail) -> bool:
    """RFC 3834 and its common stand-ins; a bounce is checked before this, not here."""
    submitted = mail.header("Auto-Submitted").lower()
    if submitted and submitted != "no":
        return True
    if mail.header("X-Autoreply") or mail.header("X-Autorespond") or mail.header("X-Autoresponder"):
        return True
    if mail.header("X-Auto-Response-Suppress") and AUTO_SUBJECTS.search(mail.subject):
        return True
    if mail.header("Precedence").lower() in ("auto_reply", "auto-reply"):
        return True
    return bool(AUTO_SUBJECTS.search(mail.subject))


@dataclass(frozen=True)
class CalendarReply:
    partstat: str
    summary: str


def calendar_reply(mail: ParsedMail) -> CalendarReply | None:
    for part in mail.message.walk():
        if part.get_content_type() != "text/calendar":
            continue
        text = re.sub(r"\r?\n[ \t]", "", part_text(part))  # unfold RFC 5545 lines
        method = re.search(r"^METHOD:(\w+)", text, re.M | re.I)
        if not method or method[1].upper() != "REPLY":
            continue
        status = re.search(r"PARTSTAT=([\w-]+)", text, re.I)
        summary = re.search(r"^SUMMARY[^:]*:(.*)$", text, re.M | re.I)
        return CalendarReply(
            status[1].upper() if status else "NEEDS-ACTION", summary[1].strip() if summary else ""
        )
    return None
