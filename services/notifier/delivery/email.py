"""The EMAIL channel's Sender: one notification, rendered for its reader, through SMTP."""

from __future__ import annotations

from services.notifier.delivery import mailer, render, repository
from services.notifier.delivery.outgoing import Outcome, OutgoingNotification, SendResult
from shared.config import get_settings
from shared.db import read_session

NOT_SET_UP = "email is not set up on this server (TALLY_SMTP_URL)"


def site() -> render.Site:
    settings = get_settings()
    return render.Site(sender=settings.smtp_sender, public_url=settings.public_url)


async def reader_of(n: OutgoingNotification) -> render.Reader | None:
    async with read_session() as session:
        person = await repository.recipient(session, n.user_id)
    if person is None:
        return None
    return render.Reader(n.user_id, person.email, person.locale, person.time_zone)


async def send_email(n: OutgoingNotification) -> SendResult:
    """Email `n` to its user: SENT once the SMTP server accepted it; FAILED without SMTP, an
    address, or on a permanent (5xx) refusal; RETRY when the server is out of reach or answers
    4xx."""
    smtp_url = get_settings().smtp_url
    if not smtp_url:
        return SendResult(Outcome.FAILED, NOT_SET_UP)
    reader = await reader_of(n)
    if reader is None:
        return SendResult(Outcome.FAILED, "no email address for this user")
    message = render.notification_email(n, reader, site())
    return await mailer.deliver(mailer.parse_smtp_url(smtp_url), message)
