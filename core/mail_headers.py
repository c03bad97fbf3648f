"""The message as it goes out: identity, threading and one-click unsubscribe headers, and
no way for a prospect or draft field to inject a header."""

import functools
import re
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.headerregistry import Address, HeaderRegistry
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import quote

from core.normalise import idna_domain


class _KeptHeaderClasses(HeaderRegistry):
    """The standard registry makes a new class for every header it parses (a third of
    the time a message takes to build); the class for a name never changes: keep it."""

    @functools.cache  # noqa: B019 (one registry for the process)
    def __getitem__(self, name):
        return super().__getitem__(name)


# long lines rather than folding: a folded List-Unsubscribe would be RFC 2047-encoded
# and unusable by the receiving mail system
POLICY = policy.SMTP.clone(max_line_length=998, header_factory=_KeptHeaderClasses())
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


@functools.cache
def _sender(name: str, email: str):
    """A campaign's From header, parsed once (a header is immutable: every message of the
    campaign carries the same one)."""
    local, domain = email.rsplit("@", 1)
    return POLICY.header_factory("From", Address(display_name=name, username=local, domain=domain))


ONE_CLICK = POLICY.header_factory("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")


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
    domain = sender_email.rsplit("@", 1)[1]
    message["From"] = _sender(sender_name, sender_email)
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
    message["List-Unsubscribe-Post"] = ONE_CLICK
    message["X-Communication-ID"] = communication_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    message.set_content(body)
    return message


# what the plain path writes as it is: an atom-only display name and subject words, a
# dot-atom address (RFC 5322 3.2.3), printable ASCII everywhere
PLAIN_PHRASE = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]*")
PLAIN_TEXT = re.compile(r"[\x20-\x7e]*")
DOT_ATOM = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
MAX_LINE = 998


@dataclass(frozen=True)
class Outgoing:
    """A message as a transport hands it over: its envelope, its Message-ID, its bytes."""

    sender: str
    recipient: str  # as the To header carries it (the domain in IDNA)
    message_id: str
    data: bytes


def write_email(**fields) -> Outgoing:
    """`build_email`'s message as it goes out. A message whose every part is plain ASCII
    (most are) is written directly, in a twentieth of the time, byte for byte what
    `build_email(...).as_bytes()` writes (a test holds the two to that); any other goes
    through `build_email`."""
    if (plain := _plain(**fields)) is not None:
        return plain
    message = build_email(**fields)
    return Outgoing(
        message["From"].addresses[0].addr_spec,
        message["To"].addresses[0].addr_spec,
        message["Message-ID"],
        message.as_bytes(),
    )


def _plain(
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
) -> Outgoing | None:
    """The message as it goes out when nothing in it needs quoting, encoding or folding;
    else None."""
    for value in (sender_email, recipient, unsubscribe_email or "", unsubscribe_url or ""):
        if not PLAIN_TEXT.fullmatch(value):
            return None
    if "@" not in sender_email or "@" not in recipient or not DOT_ATOM.fullmatch(communication_id):
        return None
    to_local, to_domain = recipient.rsplit("@", 1)
    recipient = f"{to_local}@{idna_domain(to_domain) or to_domain}"  # as build_email writes it
    addresses = [a.rsplit("@", 1) for a in (sender_email, recipient)]
    if not all(
        DOT_ATOM.fullmatch(local) and DOT_ATOM.fullmatch(domain) for local, domain in addresses
    ):
        return None
    if not (
        PLAIN_PHRASE.fullmatch(sender_name)
        and sender_name.strip() == sender_name
        and "  " not in sender_name
        and "=?" not in sender_name
        and PLAIN_TEXT.fullmatch(subject)
        and subject.strip() == subject
        and "=?" not in subject
        and "  " not in subject
        and body.isascii()
    ):
        return None
    if in_reply_to and not MESSAGE_ID.fullmatch(in_reply_to):
        return None
    domain = sender_email.rsplit("@", 1)[1]
    mailbox = unsubscribe_email or f"unsubscribe@{domain}"
    url = unsubscribe_url or f"https://{domain}/unsubscribe"
    message_id = message_id_for(communication_id, sender_email)
    headers = [
        ("From", f"{sender_name} <{sender_email}>" if sender_name else sender_email),
        ("To", recipient),
        ("Subject", subject),
        ("Date", format_datetime(at)),
        ("Message-ID", message_id),
        (
            "List-Unsubscribe",
            f"<mailto:{mailbox}?subject={quote('unsubscribe ' + communication_id)}>, "
            f"<{url}?c={quote(communication_id)}>",
        ),
        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ("X-Communication-ID", communication_id),
    ]
    if in_reply_to:
        headers += [("In-Reply-To", in_reply_to), ("References", in_reply_to)]
    lines = body.encode("ascii").splitlines()
    if any(len(line) > MAX_LINE for line in lines):
        return None
    head = [f"{name}: {value}" if value else f"{name}:" for name, value in headers]
    if any(len(line) > MAX_LINE or not PLAIN_TEXT.fullmatch(line) for line in head):
        return None
    head += [
        'Content-Type: text/plain; charset="utf-8"',
        "Content-Transfer-Encoding: 7bit",
        "MIME-Version: 1.0",
        "",
    ]
    text = b"".join(line + b"\r\n" for line in lines) or b"\r\n"
    data = "\r\n".join(head).encode("ascii") + b"\r\n" + text
    return Outgoing(sender_email, recipient, message_id, data)
