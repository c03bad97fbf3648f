"""A real SMTP server on loopback (aiosmtpd) that records what it receives and can be told
to misbehave: refuse with 4xx/5xx, hang, or hold a session while a test kills the client."""

import socket
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Behaviour:
    data_replies: list[str] = field(default_factory=list)  # replies to DATA, used in turn, then 250
    always: str | None = None  # reply every DATA with this
    hang_seconds: float = 0.0  # sleep before answering DATA (client times out)
    hold_at_mail: threading.Event | None = None  # block MAIL FROM until set
    hold_after_data: threading.Event | None = None  # keep the message, delay the 250 until set


class RecordingHandler:
    def __init__(self, behaviour: Behaviour):
        self.behaviour = behaviour
        self.received: list = []
        self.envelopes: list[tuple[str, list[str]]] = []  # (MAIL FROM, RCPT TO) as sent
        self.raw: list[bytes] = []
        self.arrived: list[float] = []  # time.perf_counter() of each accepted message
        self.mail_seen = threading.Event()
        self.data_seen = threading.Event()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.mail_seen.set()
        if self.behaviour.hold_at_mail is not None:
            import asyncio

            while not self.behaviour.hold_at_mail.is_set():
                await asyncio.sleep(0.05)
        envelope.mail_from = address
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        b = self.behaviour
        if b.hang_seconds:
            await asyncio.sleep(b.hang_seconds)
        if b.always:
            return b.always
        if b.data_replies:
            return b.data_replies.pop(0)
        self.received.append(message_from_bytes(envelope.content))
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.raw.append(envelope.content)
        self.arrived.append(time.perf_counter())
        self.data_seen.set()
        if b.hold_after_data is not None:
            while not b.hold_after_data.is_set():
                await asyncio.sleep(0.05)
        return f"250 2.0.0 Ok: queued as Q{len(self.received):05d}"


class SmtpServer:
    def __init__(self, behaviour: Behaviour | None = None, smtputf8: bool = False):
        self.port = free_port()
        self.handler = RecordingHandler(behaviour or Behaviour())
        # SMTPUTF8 (RFC 6531) offered only when asked: many servers still do not
        self.controller = Controller(
            self.handler, hostname="127.0.0.1", port=self.port, enable_SMTPUTF8=smtputf8
        )

    def __enter__(self) -> "SmtpServer":
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.handler.behaviour.hold_at_mail is not None:
            self.handler.behaviour.hold_at_mail.set()
        if self.handler.behaviour.hold_after_data is not None:
            self.handler.behaviour.hold_after_data.set()
        time.sleep(0.1)
        self.controller.stop()

    @property
    def received(self) -> list:
        return self.handler.received

    @property
    def envelopes(self) -> list[tuple[str, list[str]]]:
        return self.handler.envelopes

    def message_ids(self) -> list[str]:
        return [m["Message-ID"] for m in self.received]

    def environment(self, timeout: float = 5.0) -> dict[str, str]:
        return {
            "OUTREACH_SMTP_HOST": "127.0.0.1",
            "OUTREACH_SMTP_PORT": str(self.port),
            "OUTREACH_SMTP_TLS": "none",
            "OUTREACH_SMTP_TIMEOUT": str(timeout),
            "OUTREACH_SMTP_RETRIES": "3",
            "OUTREACH_SMTP_BACKOFF": "0.01",
        }
