"""Email delivery over SMTP (stdlib smtplib, run in a thread: it blocks).

TALLY_SMTP_URL: `smtp://host:port` (plain), `smtp://host:port?starttls=1` (upgrade with
STARTTLS), `smtps://host:port` (implicit TLS); credentials as `smtp://user:pass@host:port`
(percent-encoded).
"""

from __future__ import annotations

import asyncio
import html
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

from services.notifier.service import OutgoingEmail

SMTP_TIMEOUT_SECONDS = 30
_DEFAULT_PORTS = {"plain": 25, "starttls": 587, "tls": 465}
_TRUE = {"1", "true", "yes", "on"}


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


def compose(email: OutgoingEmail, *, sender: str, public_url: str) -> EmailMessage:
    """A plain-text email with a simple HTML alternative, linking back to Tally."""
    base = public_url.rstrip("/")
    link = f"{base}/notifications"
    domain = urlsplit(base).hostname or "tally.local"
    message = EmailMessage()
    message["Subject"] = email.subject
    message["From"] = sender
    message["To"] = email.to
    message["Date"] = format_datetime(email.created_at)
    # The same id on a re-send lets mail clients fold an at-least-once duplicate.
    message["Message-ID"] = f"<notification.{email.notification_id.hex}@{domain}>"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(
        f"{email.body}\n\nSee your notifications in Tally: {link}\n\n"
        "You get this email because of your alert settings in Tally.\n"
    )
    message.add_alternative(
        '<!doctype html>\n<html><body style="font-family: sans-serif; line-height: 1.5">\n'
        f'<h2 style="font-size: 18px">{html.escape(email.subject)}</h2>\n'
        f"<p>{html.escape(email.body)}</p>\n"
        f'<p><a href="{html.escape(link, quote=True)}">See your notifications in Tally</a></p>\n'
        '<p style="color: #666; font-size: 12px">'
        "You get this email because of your alert settings in Tally.</p>\n"
        "</body></html>\n",
        subtype="html",
    )
    return message


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
