"""Transports behind one interface: `outbox` (an .eml file per message, the default: the
demo never emails anyone) and `smtp` (smtplib; STARTTLS or SSL; credentials from the
environment). Each send returns the provider's answer or raises what kind of failure it was."""

import contextlib
import os
import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.mail_headers import Outgoing, needs_smtputf8


@dataclass(frozen=True)
class Sent:
    provider_message_id: str
    response: str
    attempts: int


class TransientFailure(Exception):
    """4xx after the bounded retries: may succeed later; not resent automatically."""

    def __init__(self, response: str, attempts: int):
        super().__init__(response)
        self.response, self.attempts = response, attempts


class PermanentFailure(Exception):
    """5xx: recorded; a hard bounce when the code says the mailbox does not exist."""

    def __init__(self, response: str, code: int, hard_bounce: bool):
        super().__init__(response)
        self.response, self.code, self.hard_bounce = response, code, hard_bounce


class OutcomeUnknown(Exception):
    """The server may or may not have taken the message (a timeout after DATA): never resent
    blindly."""


Ready = Callable[[], None]


def _at_once() -> None:
    """Nothing to wait for."""


class Transport:
    name = "transport"

    def send(self, message: Outgoing, ready: Ready = _at_once) -> Sent:
        """Hand the message over; `ready` is called before the message itself is given
        (its claim is then on disk) and raises if it must not be."""
        raise NotImplementedError

    def refuses(self, message: Outgoing) -> str | None:
        """Why this message cannot be handed over at all (asked before it is claimed)."""
        return None

    def close(self) -> None:
        """Release a connection, if any."""


class OutboxTransport(Transport):
    name = "outbox"

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def send(self, message: Outgoing, ready: Ready = _at_once) -> Sent:
        ready()
        name = message.message_id.strip("<>").replace("@", "_at_") + ".eml"
        path = self.folder / name
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(message.data)
        os.replace(temporary, path)  # whole or not at all
        return Sent(provider_message_id=name, response=f"written to {path}", attempts=1)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str | None = None
    password: str | None = None
    tls: str = "starttls"  # none, starttls or ssl
    timeout: float = 30.0
    retries: int = 3
    backoff_seconds: float = 2.0

    @classmethod
    def from_env(cls) -> "SmtpSettings":
        missing = [v for v in ("OUTREACH_SMTP_HOST", "OUTREACH_SMTP_PORT") if not os.environ.get(v)]
        if missing:
            raise ValueError(f"SMTP transport needs {', '.join(missing)} in the environment")
        tls = os.environ.get("OUTREACH_SMTP_TLS", "starttls").lower()
        if tls not in ("none", "starttls", "ssl"):
            raise ValueError(f"OUTREACH_SMTP_TLS must be none, starttls or ssl, not {tls!r}")
        return cls(
            host=os.environ["OUTREACH_SMTP_HOST"],
            port=int(os.environ["OUTREACH_SMTP_PORT"]),
            user=os.environ.get("OUTREACH_SMTP_USER") or None,
            password=os.environ.get("OUTREACH_SMTP_PASSWORD") or None,
            tls=tls,
            timeout=float(os.environ.get("OUTREACH_SMTP_TIMEOUT", "30")),
            retries=int(os.environ.get("OUTREACH_SMTP_RETRIES", "3")),
            backoff_seconds=float(os.environ.get("OUTREACH_SMTP_BACKOFF", "2")),
        )


HARD_BOUNCE_HINTS = (
    "5.1.1",
    "5.1.10",
    "5.1.2",
    "user unknown",
    "no such user",
    "does not exist",
    "mailbox unavailable",
    "unknown user",
)


class SmtpTransport(Transport):
    name = "smtp"

    def __init__(self, settings: SmtpSettings, sleep=time.sleep):
        self.settings = settings
        self.sleep = sleep
        self._client: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.tls == "ssl":
            client = smtplib.SMTP_SSL(
                s.host, s.port, timeout=s.timeout, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            if s.tls == "starttls":
                client.starttls(context=ssl.create_default_context())
        if s.user:
            client.login(s.user, s.password or "")
        return client

    def close(self) -> None:
        if self._client is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._client.quit()
            self._client = None

    def refuses(self, message: Outgoing) -> str | None:
        if not needs_smtputf8(message.recipient):
            return None
        try:
            if self._client is None:
                self._client = self._connect()
            self._client.ehlo_or_helo_if_needed()
        except (smtplib.SMTPException, OSError):
            return None  # the send itself will meet the failure and record it
        if not self._client.has_extn("smtputf8"):
            return (
                f"the recipient's address is not ASCII and {self.settings.host} does not offer "
                "SMTPUTF8 (RFC 6531): held, not claimed; send it from a server that does, or "
                "find an ASCII address"
            )
        return None

    def send(self, message: Outgoing, ready: Ready = _at_once) -> Sent:
        sender, recipient, data = message.sender, message.recipient, message.data
        options = ["SMTPUTF8"] if needs_smtputf8(recipient) else []
        attempts = 0
        while True:
            attempts += 1
            in_data = False
            try:
                if self._client is None:
                    self._client = self._connect()
                client = self._client
                client.ehlo_or_helo_if_needed()
                code, reply = client.mail(sender, options)
                if code >= 400:
                    raise smtplib.SMTPResponseException(code, reply)
                code, reply = client.rcpt(recipient)
                if code >= 400:
                    raise smtplib.SMTPResponseException(code, reply)
                ready()  # the claim is on disk before the message is given
                in_data = True
                code, reply = client.data(data)
                if code >= 400:
                    raise smtplib.SMTPResponseException(code, reply)
                text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
                return Sent(
                    provider_message_id=text.rsplit(" ", 1)[-1] if text else "",
                    response=f"{code} {text}",
                    attempts=attempts,
                )
            except smtplib.SMTPResponseException as exc:
                self._reset()
                text = (
                    exc.smtp_error.decode(errors="replace")
                    if isinstance(exc.smtp_error, bytes)
                    else str(exc.smtp_error)
                )
                response = f"{exc.smtp_code} {text}"
                if 400 <= exc.smtp_code < 500:
                    if attempts <= self.settings.retries:
                        self.sleep(self.settings.backoff_seconds * 2 ** (attempts - 1))
                        continue
                    raise TransientFailure(response, attempts) from None
                hard = any(h in response.lower() for h in HARD_BOUNCE_HINTS)
                raise PermanentFailure(response, exc.smtp_code, hard) from None
            except (TimeoutError, smtplib.SMTPServerDisconnected, ConnectionResetError) as exc:
                self._drop()
                if in_data:
                    raise OutcomeUnknown(
                        f"no answer after the message was given ({type(exc).__name__}: {exc})"
                    ) from None
                if attempts <= self.settings.retries:
                    self.sleep(self.settings.backoff_seconds * 2 ** (attempts - 1))
                    continue
                raise TransientFailure(
                    f"could not deliver to the server: {type(exc).__name__}: {exc}", attempts
                ) from None
            except (ConnectionRefusedError, OSError) as exc:
                self._drop()
                if attempts <= self.settings.retries:
                    self.sleep(self.settings.backoff_seconds * 2 ** (attempts - 1))
                    continue
                raise TransientFailure(f"could not connect: {exc}", attempts) from None

    def _reset(self) -> None:
        if self._client is not None:
            try:
                self._client.rset()
            except (smtplib.SMTPException, OSError):
                self._drop()

    def _drop(self) -> None:
        if self._client is not None:
            with contextlib.suppress(OSError):
                self._client.close()
        self._client = None
