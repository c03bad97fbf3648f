"""One message as it goes out, whatever wrote it (a sequence step or a response): its
ids, its content hash (what an approval binds to) and the parts drafting always adds."""

import hashlib

from core.config import Campaign, Channel, OutreachConfig

DELIVERY = {
    Channel.EMAIL: "send after approval",
    Channel.LINKEDIN: "manual task",
    Channel.PHONE: "manual task",
    Channel.SMS: "manual task",
    Channel.WHATSAPP: "manual task",
    Channel.VOICE_NOTE: "script for a human to record",
}


def communication_id(prospect_id: str, campaign_id: str, step: int | str) -> str:
    """One message of a pair: a sequence step's number, or what else names it uniquely
    (a response: "response|<the reply's content hash>")."""
    return "cm_" + hashlib.sha256(f"{prospect_id}|{campaign_id}|{step}".encode()).hexdigest()[:20]


def content_hash(channel: str, recipient: str, subject: str | None, body: str) -> str:
    """sha256 of channel, recipient, subject and body: what an approval binds to."""
    text = "\x1f".join([channel, recipient, subject or "", body])
    return hashlib.sha256(text.encode()).hexdigest()


def review_token(communication: str, content: str) -> str:
    return f"{communication}.{content[:16]}"


def compose(
    campaign: Campaign,
    channel: Channel,
    rendered: str,
    config: OutreachConfig,
    notice: str | None = None,
) -> str:
    """The body as it goes out: the template's text plus what drafting always adds (and,
    in a first message to someone from a third-party source, that source's notice)."""
    sender = campaign.sender
    told = f"\n\n{notice}" if notice else ""
    if channel == Channel.EMAIL:
        return (
            f"{rendered.strip()}\n\n{sender.name}\n{sender.company}\n{sender.postal_address}{told}\n\n"
            f"{config.messaging.opt_out_line}"
        )
    if channel == Channel.VOICE_NOTE:
        disclosure = config.messaging.voice_note_disclosure.format(sender_name=sender.name)
        return f"{disclosure}\n\n{rendered.strip()}{told}"
    return f"{rendered.strip()}\n{sender.name}, {sender.company}{told}"
