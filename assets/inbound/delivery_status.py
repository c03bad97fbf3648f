"""Bounces: RFC 3464 delivery status reports first, then the plain-text bounces common
MTAs send without a DSN part. Per recipient: action, RFC 3463 status, diagnostic, reason
and hard or soft."""

import re
from dataclasses import dataclass
from email.message import Message

from assets.inbound.bounce_reasons import hard_or_soft, reason_of, status_of
from assets.inbound.parse import ParsedMail, part_text

ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
BOUNCE_SENDERS = re.compile(
    r"mailer[- ]daemon|post_?master|mail delivery|maildelivery|bounce|daemon@|system "
    r"administrator|ndr|^\s*<>\s*$",
    re.I,
)
BOUNCE_SUBJECTS = re.compile(
    r"undeliver|undelivered|delivery (status notification|failure|failed|has "
    r"failed|problem|report)|returned mail|failure notice|mail delivery "
    r"(failed|failure|system)|non.?deliver|could not be delivered|delivery notification|mail "
    r"system error|rejected|returned to sender|message not delivered|warning: could not "
    r"send|delivery status|failed delivery|mail failed|mail failure|\bdelayed\b|failure|not "
    r"delivered|unzustellbar|no se pudo entregar|non remis|消息|配信",
    re.I,
)
# the server's own sentence that a message was not delivered, in reports with neither a
# DSN part nor a subject that says so (KDDI, Exchange 2003)
BOUNCE_BODY = re.compile(
    r"could not be delivered to:?\s*<?[\w.+-]+@|did not reach the following recipient|"
    r"送信できませんでした|配信できませんでした",
    re.I,
)
AUTOMATED_SENDERS = re.compile(r"no-?reply|do-?not-?reply", re.I)
# a line that opens with an SMTP failure reply ("550 - Requested action not taken: no such
# user here"): from a bounce sender, a report whatever its subject (Verizon, Apache James)
SMTP_FAILURE_LINE = re.compile(r"^[ \t]*[45][0-5]\d(?:[ \t]*-[ \t]|[ \t]+)\S", re.M)
# a server's failing reply in a session transcript (Postfix " Out: 451 ...", sendmail
# "<<< 550 ...")
TRANSCRIPT_FAILURE = re.compile(r"^[ \t]*(?:Out:|<<<)[ \t]*([45]\d\d\b.*)$", re.M)
# the envelope as a report restates it: the recipient after RCPT TO, never the MAIL FROM
RCPT_TO = re.compile(rf"\brcpt to:?\s*<?({ADDRESS.pattern})", re.I)
MAIL_FROM = re.compile(rf"\bmail from:?\s*<?({ADDRESS.pattern})", re.I)
# where the returned copy of our own message starts: its words are not the server's
ORIGINAL_STARTS = re.compile(
    r"^-+ ?(this is a copy of|below this line is a copy|original message|the original message|"
    r"returned message|message (body|headers) follow|undelivered message)|^content-type: message/"
    r"rfc822|"
    r"^received: from .*\n.*\bby\b|^\s*-----\s*original|^original message headers:",
    re.I | re.M,
)


@dataclass(frozen=True)
class Bounce:
    recipient: str | None
    action: str | None
    status: str | None
    diagnostic: str
    reason: str
    bounce_type: str | None  # hard, soft, or None (delivered)


def _fields(block: Message) -> dict[str, str]:
    return {k.lower(): re.sub(r"\s+", " ", str(v)).strip() for k, v in block.items()}


def _address(value: str | None) -> str | None:
    if not value:
        return None
    found = ADDRESS.search(value.split(";", 1)[-1])
    return found.group(0).lower() if found else None


def _server_words(text: str) -> str:
    cut = ORIGINAL_STARTS.search(text)
    return text[: cut.start()] if cut else text


# a line that opens one recipient's part of a report: the address (bare, <quoted> or
# "quoted") and a colon (qmail, Exim, OpenSMTPD and GMX write their reports so)
RECIPIENT_LINE = re.compile(r'^[ \t]*["<]?([^\s"<>@:]+@[^\s"<>:]+?)[">]?[ \t]*:', re.M)


def recipient_blocks(words: str) -> dict[str, str]:
    """{address: the words about it} when a report speaks of each recipient in turn."""
    found = list(RECIPIENT_LINE.finditer(words))
    return {
        match[1].lower(): words[
            match.start() : (found[i + 1].start() if i + 1 < len(found) else None)
        ]
        for i, match in enumerate(found)
    }


def dsn_bounces(mail: ParsedMail) -> list[Bounce]:
    """Per-recipient results of an RFC 3464 report, or [] when there is none."""
    human = ""
    for part in mail.message.walk():
        if part.get_content_type() == "text/plain" and not human:
            human = part_text(part)
        if part.get_content_type() != "message/delivery-status":
            continue
        blocks = part.get_payload()
        if not isinstance(blocks, list):  # a DSN body the parser could not split: read it as text
            text = part_text(part)
            blocks = []
            for chunk in re.split(r"\n\s*\n", text):
                block = Message()
                for line in re.findall(r"^([\w-]+):\s*(.*)$", chunk, re.M):
                    block[line[0]] = line[1]
                blocks.append(block)
        out = []
        for block in blocks[1:] if len(blocks) > 1 else blocks:
            fields = _fields(block)
            if not any(
                k in fields for k in ("final-recipient", "original-recipient", "status", "action")
            ):
                continue
            status = status_of(fields.get("status", ""))
            diagnostic = fields.get("diagnostic-code", "")
            if diagnostic.lower().startswith("smtp;"):
                diagnostic = diagnostic[5:].strip()
            recipient = _address(fields.get("final-recipient") or fields.get("original-recipient"))
            # the human part's words about this recipient, else all of them
            told = recipient_blocks(_server_words(human)).get(recipient or "", _server_words(human))
            words = diagnostic or told
            status = status or status_of(words)
            reason = reason_of(status, words, fields.get("action"), told)
            out.append(
                Bounce(
                    recipient=recipient,
                    action=fields.get("action"),
                    status=status,
                    diagnostic=diagnostic[:1000],
                    reason=reason,
                    bounce_type=hard_or_soft(reason),
                )
            )
        if out:
            return out
    return []


def looks_like_bounce(mail: ParsedMail) -> bool:
    if (
        mail.message.get_content_type() == "multipart/report"
        and str(mail.message.get_param("report-type", "")).lower() == "delivery-status"
    ):
        return True
    if mail.header("X-Failed-Recipients"):
        return True
    sender, subject = mail.header("From"), mail.subject
    words = _server_words(_all_text(mail))
    from_bounce_sender = bool(BOUNCE_SENDERS.search(sender))
    if (from_bounce_sender or AUTOMATED_SENDERS.search(sender)) and BOUNCE_BODY.search(words):
        return True
    return (
        (from_bounce_sender and bool(BOUNCE_SUBJECTS.search(subject)))
        or bool(BOUNCE_SUBJECTS.search(subject) and status_of(words))
        or bool(from_bounce_sender and (status_of(words) or SMTP_FAILURE_LINE.search(words)))
    )


def _all_text(mail: ParsedMail) -> str:
    chunks = []
    for part in mail.message.walk():
        if part.get_content_type() == "message/rfc822":
            break  # the returned original: not the server's words
        if part.get_content_maintype() == "text" or (
            # a multipart whose boundary never comes: its body is all there is to read
            part.is_multipart() is False and part.get_content_maintype() == "multipart"
        ):
            chunks.append(part_text(part))
    return "\n".join(chunks)


def text_bounces(mail: ParsedMail) -> list[Bounce]:
    """A bounce without a DSN part: recipients and reasons from the server's own words."""
    words = _server_words(_all_text(mail))
    failed = [a.strip().lower() for a in mail.header("X-Failed-Recipients").split(",") if a.strip()]
    senders = {a.lower() for a in MAIL_FROM.findall(words)}
    recipients = (
        failed
        or [a.lower() for a in RCPT_TO.findall(words)][:1]
        or sorted(
            {
                a.lower()
                for a in ADDRESS.findall(words)
                if not BOUNCE_SENDERS.search(a) and a.lower() not in senders
            },
            key=words.lower().find,
        )[:1]
    )
    blocks = recipient_blocks(words)
    out = []
    for recipient in recipients or [None]:
        # each recipient's own words where the report gives them, else the whole report
        said = blocks.get(recipient, words) if len(blocks) > 1 else words
        status = status_of(said)
        # a session transcript: the reply that failed is the server's word on it, not the
        # commands and OKs around it ("MAIL FROM:" is not a refused sender)
        failed_reply = TRANSCRIPT_FAILURE.search(said)
        reason = reason_of(status, failed_reply[1] if failed_reply else said, told=said)
        out.append(
            Bounce(
                recipient=recipient,
                action="failed",
                status=status,
                diagnostic=said.strip()[:1000],
                reason=reason,
                bounce_type=hard_or_soft(reason),
            )
        )
    return out


# Amazon SES forwards bounces as a JSON notification in a plain message
# (as sent directly, or as the escaped "Message" string of an SNS notification)
SES_BOUNCE = re.compile(r'\\?"notificationType\\?"\s*:\s*\\?"Bounce')
SES_TYPE = re.compile(r'\\?"bounceType\\?"\s*:\s*\\?"(\w+)')
SES_DIAGNOSTIC = re.compile(r'\\?"diagnosticCode\\?"\s*:\s*\\?"((?:[^"\\]|\\[^"])*)')
SES_ADDRESS = re.compile(r'\\?"emailAddress\\?"\s*:\s*\\?"([^"\\]+)')


def ses_bounces(mail: ParsedMail) -> list[Bounce]:
    text = _all_text(mail)
    if not SES_BOUNCE.search(text):
        return []
    diagnostic = (SES_DIAGNOSTIC.search(text) or [None, ""])[1].removeprefix("smtp;").strip()
    status = status_of(diagnostic)
    reason = reason_of(status, diagnostic)
    kind = (SES_TYPE.search(text) or [None, ""])[1]
    if kind == "Permanent" and reason == "undefined":
        reason = "userunknown"
    address = SES_ADDRESS.search(text)
    return [
        Bounce(
            address[1].lower() if address else None,
            "failed",
            status,
            diagnostic,
            reason,
            hard_or_soft(reason),
        )
    ]


def bounces(mail: ParsedMail) -> list[Bounce]:
    """The message's bounces, or [] when it is not a bounce."""
    found = dsn_bounces(mail) or ses_bounces(mail)
    if found:
        return found
    return text_bounces(mail) if looks_like_bounce(mail) else []
