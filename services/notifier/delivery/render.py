"""The emails notifications become, from the Jinja2 templates under templates/: HTML (every
value autoescaped) with a plain-text alternative, in the recipient's locale (Babel formats
dates and amounts) and time zone, with a one-click unsubscribe per kind (RFC 8058) and the
headers that keep auto-responders and bounce loops away.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from babel.numbers import format_currency
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from services.notifier.delivery import unsubscribe
from services.notifier.delivery.outgoing import OutgoingNotification

TEMPLATES = Path(__file__).parent / "templates"
# Header lines up to RFC 5322's limit: a long List-Unsubscribe URL folded by the default policy
# (78) has no space to fold at and would become an encoded word mail clients do not follow.
_POLICY = email.policy.default.clone(max_line_length=998)

_environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    # .html autoescaped; .txt is plain text (nothing there is markup).
    autoescape=select_autoescape(["html"], default_for_string=True, default=False),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class Reader:
    """Who reads the email, and how they read dates and numbers."""

    user_id: uuid.UUID
    address: str
    locale: str
    time_zone: str


@dataclass(frozen=True)
class Site:
    sender: str
    public_url: str

    @property
    def base(self) -> str:
        return self.public_url.rstrip("/")

    @property
    def domain(self) -> str:
        return urlsplit(self.base).hostname or "tally.local"


def kind_label(kind: str) -> str:
    """'LARGE_TRANSACTION' -> 'Large transaction'."""
    return kind.replace("_", " ").capitalize()


def when(moment: dt.datetime, reader: Reader) -> str:
    """The date and the time to the minute, where and as the reader reads them."""
    local = moment.astimezone(ZoneInfo(reader.time_zone))
    day = format_date(local.date(), format="medium", locale=reader.locale)
    return f"{day}, {format_time(local, format='short', locale=reader.locale)}"


def amounts(data: dict[str, Any], locale: str) -> list[tuple[str, str]]:
    """The money among an alert's facts ({"amount": "12.34", "currency": "USD"} values), as
    (label, amount in the reader's locale); other facts are for machines."""
    found = []
    for name, value in data.items():
        if not isinstance(value, dict) or set(value) != {"amount", "currency"}:
            continue
        try:
            amount = Decimal(str(value["amount"]))
        except InvalidOperation:
            continue
        label = "".join(" " + c.lower() if c.isupper() else c for c in name).capitalize()
        found.append((label, format_currency(amount, str(value["currency"]), locale=locale)))
    return found


def _message(
    *, subject: str, reader: Reader, site: Site, message_id: str, unsubscribe_url: str
) -> EmailMessage:
    message = EmailMessage(policy=_POLICY)
    message["Subject"] = subject
    message["From"] = site.sender
    message["To"] = reader.address
    message["Message-ID"] = message_id
    # Bounce-safe: no auto-responder answers this (RFC 3834), and Exchange's neither.
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    # RFC 8058 one-click: the mail client POSTs "List-Unsubscribe=One-Click" to the link.
    message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return message


def notification_email(n: OutgoingNotification, reader: Reader, site: Site) -> EmailMessage:
    """One notification as an email (plain text with an HTML alternative)."""
    unsubscribe_url = unsubscribe.link(site.base, reader.user_id, n.kind)
    context = {
        "title": n.title,
        "body": n.body,
        "when": when(n.created_at, reader),
        "amounts": amounts(n.data, reader.locale),
        "kind": kind_label(n.kind),
        "link": f"{site.base}/notifications",
        "settings_link": f"{site.base}/settings",
        "unsubscribe_link": unsubscribe_url,
        "locale": reader.locale.replace("_", "-"),
    }
    message = _message(
        subject=n.title,
        reader=reader,
        site=site,
        # The same id on a re-send lets mail clients fold an at-least-once duplicate.
        message_id=f"<notification.{n.notification_id.hex}@{site.domain}>",
        unsubscribe_url=unsubscribe_url,
    )
    message["Date"] = format_datetime(n.created_at)
    message.set_content(_environment.get_template("notification.txt").render(context))
    message.add_alternative(
        _environment.get_template("notification.html").render(context), subtype="html"
    )
    return message


@dataclass(frozen=True)
class DigestItem:
    kind: str
    title: str
    body: str
    created_at: dt.datetime
    data: dict[str, Any]


def digest_email(
    items: Sequence[DigestItem], day: dt.date, reader: Reader, site: Site, now: dt.datetime
) -> EmailMessage:
    """The day's waiting notifications in one email, newest last, grouped by nothing: a short
    list the reader scans."""
    unsubscribe_url = unsubscribe.link(site.base, reader.user_id, unsubscribe.ALL_KINDS)
    kinds = sorted({item.kind for item in items})
    day_text = format_date(day, format="full", locale=reader.locale)
    context = {
        "day": day_text,
        "count": len(items),
        "items": [
            {
                "title": item.title,
                "body": item.body,
                "when": when(item.created_at, reader),
                "kind": kind_label(item.kind),
                "amounts": amounts(item.data, reader.locale),
            }
            for item in items
        ],
        "kinds": [
            (kind_label(kind), unsubscribe.link(site.base, reader.user_id, kind)) for kind in kinds
        ],
        "link": f"{site.base}/notifications",
        "settings_link": f"{site.base}/settings",
        "unsubscribe_link": unsubscribe_url,
        "locale": reader.locale.replace("_", "-"),
    }
    message = _message(
        subject=f"Your Tally digest for {day_text}: {_alerts(len(items))}",
        reader=reader,
        site=site,
        message_id=f"<digest.{reader.user_id.hex}.{day.isoformat()}@{site.domain}>",
        unsubscribe_url=unsubscribe_url,
    )
    message["Date"] = format_datetime(now)
    message.set_content(_environment.get_template("digest.txt").render(context))
    message.add_alternative(
        _environment.get_template("digest.html").render(context), subtype="html"
    )
    return message


def _alerts(count: int) -> str:
    return f"{count} alert" if count == 1 else f"{count} alerts"


def unsubscribe_page(*, kind: str | None, token: str, done: bool, action: str) -> str:
    """The page the unsubscribe link opens: a confirm button (GET), or what was done (POST);
    `kind` None for a link that is not valid."""
    label = "every alert" if kind == unsubscribe.ALL_KINDS else kind_label(kind) if kind else None
    return _environment.get_template("unsubscribe.html").render(
        {"kind": label, "token": token, "done": done, "action": action}
    )
