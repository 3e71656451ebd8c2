"""The email a notification becomes: plain text with a simple HTML alternative, linking back
to Tally, and headers that let mail clients fold an at-least-once duplicate.
"""

from __future__ import annotations

import html
import uuid
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import urlsplit


@dataclass(frozen=True)
class OutgoingEmail:
    notification_id: uuid.UUID
    to: str
    subject: str
    body: str
    created_at: datetime


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
