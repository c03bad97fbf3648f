"""A mail message as a person reading it sees it, for finding someone in raw mail."""

import email
import email.policy


def readable_text(raw: bytes) -> str:
    """What a person reading the message sees: its raw text, its headers decoded (RFC
    2047), and every text part decoded (base64, quoted-printable, its charset)."""
    parts = [raw.decode("latin-1")]
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        parts += [f"{k}: {v}" for k, v in message.items()]
        for part in message.walk():
            if part.get_content_maintype() == "text":
                parts.append(part.get_content())
    except Exception:  # noqa: S110 - a damaged message is still searched as raw text
        pass
    return "\n".join(parts)
