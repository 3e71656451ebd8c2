"""Email delivery over SMTP (stdlib smtplib, run in a thread: it blocks), and what the SMTP
server's answer means for the delivery.

TALLY_SMTP_URL: `smtp://host:port` (plain), `smtp://host:port?starttls=1` (upgrade with
STARTTLS), `smtps://host:port` (implicit TLS); credentials as `smtp://user:pass@host:port`
(percent-encoded).
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

from services.notifier.delivery.outgoing import Outcome, SendResult

SMTP_TIMEOUT_SECONDS = 30
_DEFAULT_PORTS = {"plain": 25, "starttls": 587, "tls": 465}
_TRUE = {"1", "true", "yes", "on"}
_MAX_REASON = 250


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    security: Literal["plain", "starttls", "tls"]
    username: str | None
    password: str | None


def parse_smtp_url(url: str) -> SmtpServer:
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("TALLY_SMTP_URL must look like smtp://host:port or smtps://host:port")
    security: Literal["plain", "starttls", "tls"]
    if parts.scheme == "smtps":
        security = "tls"
    elif parse_qs(parts.query).get("starttls", ["0"])[-1].lower() in _TRUE:
        security = "starttls"
    else:
        security = "plain"
    return SmtpServer(
        host=parts.hostname,
        port=parts.port or _DEFAULT_PORTS[security],
        security=security,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def _send_blocking(server: SmtpServer, message: EmailMessage) -> None:
    client: smtplib.SMTP
    if server.security == "tls":
        client = smtplib.SMTP_SSL(
            server.host,
            server.port,
            timeout=SMTP_TIMEOUT_SECONDS,
            context=ssl.create_default_context(),
        )
    else:
        client = smtplib.SMTP(server.host, server.port, timeout=SMTP_TIMEOUT_SECONDS)
    with client:
        if server.security == "starttls":
            client.starttls(context=ssl.create_default_context())
        if server.username is not None:
            client.login(server.username, server.password or "")
        # Raises unless the server accepted the message for the (single) recipient.
        client.send_message(message)


async def send(server: SmtpServer, message: EmailMessage) -> None:
    await asyncio.to_thread(_send_blocking, server, message)


def _reply(code: int, text: bytes | str) -> SendResult:
    said = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    reason = f"the mail server answered {code} {' '.join(said.split())}"[:_MAX_REASON]
    # 5xx is permanent (RFC 5321): the address or the message is refused; sending it again
    # would bounce again. 4xx (and anything else) is worth another try later.
    return SendResult(Outcome.FAILED if 500 <= code < 600 else Outcome.RETRY, reason)


async def deliver(server: SmtpServer, message: EmailMessage) -> SendResult:
    """Send `message`, and say how it went: SENT once the server accepted it, FAILED for a
    permanent (5xx) refusal, RETRY for a temporary one or a server out of reach."""
    try:
        await send(server, message)
    except smtplib.SMTPRecipientsRefused as error:
        [(code, text)] = list(error.recipients.values())[:1] or [(550, b"recipient refused")]
        return _reply(code, text)
    except smtplib.SMTPResponseException as error:
        return _reply(error.smtp_code, error.smtp_error)
    except (smtplib.SMTPException, OSError) as error:
        return SendResult(
            Outcome.RETRY, f"the mail server is out of reach ({type(error).__name__})"
        )
    return SendResult(Outcome.SENT)
