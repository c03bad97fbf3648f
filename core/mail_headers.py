"""The message as it goes out: identity, threading and one-click unsubscribe headers, and
no way for a prospect or draft field to inject a header."""

import re
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import quote

from core.normalise import idna_domain

# long lines rather than folding: a folded List-Unsubscribe would be RFC 2047-encoded
# and unusable by the receiving mail system
POLICY = policy.SMTP.clone(max_line_length=998)
CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\u0085]")
# a Message-ID a response may name in In-Reply-To: one <left@right>, nothing else
MESSAGE_ID = re.compile(r"<[^<>\s@]+@[^<>\s@]+>")


class UnsafeHeader(ValueError):
    """A value meant for a header carries a line break or another control character."""


def safe(name: str, value: str | None) -> str:
    if value is None:
        return ""
    if CONTROL.search(value):
        raise UnsafeHeader(
            f"{name} contains a control character (CR, LF or similar): refused, not sent"
        )
    return value


def needs_smtputf8(address: str) -> bool:
    """A local part beyond ASCII can travel only where the server offers SMTPUTF8 (RFC 6531);
    a domain beyond ASCII travels as its IDNA (punycode) form."""
    return not address.rsplit("@", 1)[0].isascii()


def message_id_for(communication_id: str, sender_email: str) -> str:
    """Replies thread back by In-Reply-To/References: the id is the communication id."""
    return f"<{communication_id}@{sender_email.rsplit('@', 1)[1]}>"


def build_email(
    *,
    communication_id: str,
    sender_name: str,
    sender_email: str,
    recipient: str,
    subject: str,
    body: str,
    unsubscribe_email: str | None,
    unsubscribe_url: str | None,
    at: datetime,
    in_reply_to: str | None = None,
) -> EmailMessage:
    """An RFC 5322 message; `in_reply_to`: the Message-ID of the reply a response answers
    (then it threads there: In-Reply-To and References)."""
    for name, value in (
        ("sender name", sender_name),
        ("sender email", sender_email),
        ("recipient", recipient),
        ("subject", subject),
        ("in-reply-to", in_reply_to or ""),
    ):
        safe(name, value)
    if in_reply_to and not MESSAGE_ID.fullmatch(in_reply_to):
        raise UnsafeHeader(f"in-reply-to: not a Message-ID: {in_reply_to[:80]!r}")
    message = EmailMessage(policy=POLICY.clone(utf8=True) if needs_smtputf8(recipient) else POLICY)
    local, domain = sender_email.rsplit("@", 1)
    message["From"] = Address(display_name=sender_name, username=local, domain=domain)
    to_local, to_domain = recipient.rsplit("@", 1)
    message["To"] = Address(username=to_local, domain=idna_domain(to_domain) or to_domain)
    message["Subject"] = subject
    message["Date"] = format_datetime(at)
    message["Message-ID"] = message_id_for(communication_id, sender_email)
    unsubscribe = []
    mailbox = unsubscribe_email or f"unsubscribe@{domain}"
    unsubscribe.append(f"<mailto:{mailbox}?subject={quote('unsubscribe ' + communication_id)}>")
    url = unsubscribe_url or f"https://{domain}/unsubscribe"
    unsubscribe.append(f"<{url}?c={quote(communication_id)}>")
    message["List-Unsubscribe"] = ", ".join(unsubscribe)
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["X-Communication-ID"] = communication_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    message.set_content(body)
    return message
