"""Delivering new notifications beyond the inbox: live to open subscriptions, and by email,
once per notification.

Functions take a unit of work and never commit.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from services.notifier.delivery import repository
from services.notifier.delivery.compose import OutgoingEmail
from services.notifier.inbox.service import NotificationView, live_topic
from services.notifier.queue import QUEUE
from shared import pubsub
from shared.clock import utcnow
from shared.config import get_settings
from shared.db import UnitOfWork
from shared.logging import get_logger
from shared.messaging import message, send_after_commit

log = get_logger(__name__)

EMAIL_ACTOR = "deliver_notification_email"
# How long one delivery may hold a notification's email before another may take over (it
# outlasts an SMTP exchange with its timeouts; a crashed worker's claim then expires).
EMAIL_CLAIM_LEASE = timedelta(minutes=2)


def deliver_after_commit(
    work: UnitOfWork, user_id: uuid.UUID, notifications: Sequence[NotificationView]
) -> None:
    """Once `work` commits, queue each new notification's email (when SMTP is configured)
    and publish it to the user's live subscriptions; nothing if it rolls back."""
    if get_settings().smtp_url:
        for notification in notifications:
            send_after_commit(
                work, message(QUEUE, EMAIL_ACTOR, notification_id=str(notification.id))
            )
    else:
        log.info(
            "notification_email_disabled",
            reason="TALLY_SMTP_URL is not set",
            notification_ids=[str(n.id) for n in notifications],
        )

    async def publish_live() -> None:
        for notification in notifications:
            try:
                await asyncio.to_thread(pubsub.publish, live_topic(user_id), notification.payload())
            except Exception:
                # Live delivery is best effort: the notification is stored and will be listed;
                # failing here would retry an evaluation that has nothing new to do.
                log.warning(
                    "notification_publish_failed",
                    notification_id=str(notification.id),
                    exc_info=True,
                )

    work.after_commit(publish_live)


@dataclass(frozen=True)
class EmailClaim:
    """The outcome of claiming a notification's email: send `email`, or nothing is owed
    (`email` None), or another delivery holds the claim right now (`busy`).
    """

    email: OutgoingEmail | None = None
    busy: bool = False


async def claim_email(work: UnitOfWork, notification_id: uuid.UUID) -> EmailClaim:
    """Claim the email still owed for a notification, so that one delivery sends it."""
    found = await repository.notification_with_address(work.session, notification_id)
    if found is None:
        log.warning("notification_email_unknown_notification", notification_id=str(notification_id))
        return EmailClaim()
    notification, address = found
    if notification.emailed_at is not None:
        return EmailClaim()
    if address is None:
        log.warning("notification_email_no_address", notification_id=str(notification_id))
        return EmailClaim()
    now = utcnow()
    claimed = await repository.claim_email(
        work.session, notification_id, now, now - EMAIL_CLAIM_LEASE
    )
    if not claimed:
        return EmailClaim(busy=True)
    return EmailClaim(
        email=OutgoingEmail(
            notification_id=notification.id,
            to=address,
            subject=notification.title,
            body=notification.body,
            created_at=notification.created_at,
        )
    )


async def release_email_claim(work: UnitOfWork, notification_id: uuid.UUID) -> None:
    """Give the claim back after a failed send, so the retry need not wait for the lease."""
    await repository.release_email_claim(work.session, notification_id)


async def record_email_sent(work: UnitOfWork, notification_id: uuid.UUID) -> None:
    if not await repository.mark_emailed(work.session, notification_id, utcnow()):
        log.info("notification_email_sent_twice", notification_id=str(notification_id))
