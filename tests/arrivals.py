"""What arrives in a workspace between runs, as the outside world writes it: a CRM or
calendar events file in landing/events, and a person's reply in the mailbox."""

import csv
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from assets.ingestion.landing_schemas import SCHEMAS


def land_events(home: Path, rows: list[dict], name: str) -> None:
    """`landing/events/<name>.csv` with the events schema's columns (empty where unset)."""
    folder = home / "landing" / "events"
    folder.mkdir(parents=True, exist_ok=True)
    columns = list(SCHEMAS["events"].columns)
    with (folder / f"{name}.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})


def write_reply(
    home: Path, name: str, sender: str, subject: str, in_reply_to: str, words: str, at: datetime
) -> None:
    """`mailbox/<name>.eml`: a person's plain-text reply to one of our messages."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "alex.morgan@mwms.example"
    message["Subject"] = "Re: " + subject
    message["Date"] = format_datetime(at)
    message["Message-ID"] = f"<{name}@reply.example>"
    message["In-Reply-To"] = in_reply_to
    message.set_content(words)
    (home / "mailbox" / f"{name}.eml").write_bytes(bytes(message))
