"""One message from raw bytes, never raising: what the classifiers need, and its defects."""

import email
import email.header
import email.policy
import hashlib
import re
from dataclasses import dataclass, field
from email.message import Message
from email.utils import getaddresses, parseaddr

MESSAGE_ID = re.compile(r"<[^<>\s]+>")


@dataclass(frozen=True)
class ParsedMail:
    raw: bytes
    message: Message
    message_id: str | None
    in_reply_to: str | None
    references: tuple[str, ...]
    sender: str | None
    recipients: tuple[str, ...]
    subject: str
    content_hash: str
    defects: tuple[str, ...] = field(default=())

    def header(self, name: str) -> str:
        value = self.message.get(name)
        return _text(value) if value is not None else ""

    @property
    def sender_name(self) -> str:
        """The From header's display name, decoded ("" when there is none)."""
        return parseaddr(self.header("From"))[0].strip()


def _text(value: object) -> str:
    """A header as text, decoding RFC 2047 words where possible."""
    try:
        parts = email.header.decode_header(str(value))
        out = []
        for chunk, charset in parts:
            if isinstance(chunk, bytes):
                out.append(chunk.decode(charset or "utf-8", errors="replace"))
            else:
                out.append(chunk)
        return re.sub(r"\s+", " ", "".join(out)).strip()
    except Exception:  # a malformed header is kept as it came
        return re.sub(r"\s+", " ", str(value)).strip()


def _address(addr_spec: str) -> str | None:
    """An addr-spec as a key (lower case), or None when it is not an address."""
    text = _text(addr_spec).strip().strip("<>").lower()
    return text if re.fullmatch(r"[^@\s<>\",]+@[^@\s<>\",]+", text) else None


def parse_mail(raw: bytes) -> ParsedMail:
    # compat32 tolerates what real MTAs send; defects are recorded, never raised
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    defects = [type(d).__name__ for part in message.walk() for d in getattr(part, "defects", [])]
    message_ids = MESSAGE_ID.findall(str(message.get("Message-ID", "")))
    in_reply_to = MESSAGE_ID.findall(str(message.get("In-Reply-To", "")))
    references = tuple(MESSAGE_ID.findall(str(message.get("References", ""))))
    # RFC 5322 first, RFC 2047 after: the address is split from the header as it came,
    # so a comma or an address inside an encoded display name is never taken for it
    raw_from = str(message.get("From", ""))
    bracketed = re.search(r"<([^<>]*)>\s*$", raw_from)
    sender = _address(bracketed[1] if bracketed else parseaddr(raw_from)[1])
    recipients = tuple(
        a
        for _, raw in getaddresses([str(v) for v in message.get_all("To", [])])
        if (a := _address(raw))
    )
    if not message_ids:
        defects.append("MissingMessageId")
    if not message.keys():
        defects.append("NoHeaders")
    return ParsedMail(
        raw=raw,
        message=message,
        message_id=message_ids[0] if message_ids else None,
        in_reply_to=in_reply_to[0] if in_reply_to else None,
        references=references,
        sender=sender,
        recipients=recipients,
        subject=_text(message.get("Subject", "")),
        content_hash=hashlib.sha256(raw).hexdigest(),
        defects=tuple(defects),
    )


def part_text(part: Message) -> str:
    """A text part decoded with its charset (or UTF-8, replacing what does not decode)."""
    payload = part.get_payload(decode=True)
    if payload is None:
        inner = part.get_payload()
        if isinstance(inner, list):
            return "\n".join(part_text(p) for p in inner if isinstance(p, Message))
        return str(inner or "")
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:
        return payload.decode("utf-8", errors="replace")


def body_text(message: Message) -> str:
    """The first text/plain part; else text/html with the tags removed; else nothing."""
    html = None
    for part in message.walk():
        if part.get_content_maintype() == "multipart":
            continue
        if part.get_content_disposition() == "attachment":
            continue
        kind = part.get_content_type()
        if kind == "text/plain":
            return part_text(part)
        if kind == "text/html" and html is None:
            html = part_text(part)
    if html is not None:
        import html as html_lib

        text = re.sub(r"(?is)<(script|style).*?</\1>", " ", html)
        text = re.sub(r"(?i)<br\s*/?>|</p>|</div>", "\n", text)
        return html_lib.unescape(re.sub(r"<[^>]+>", " ", text))
    return ""


def all_text(message: Message) -> str:
    """Every text part and every embedded message's text, for bounces that are not DSNs."""
    chunks = []
    for part in message.walk():
        kind = part.get_content_type()
        if kind.startswith("text/") or kind in (
            "message/delivery-status",
            "message/feedback-report",
        ):
            chunks.append(part_text(part))
    return "\n".join(chunks)
