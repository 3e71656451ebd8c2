"""Queries on the notifications table for delivery, which only knows a notification's id."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier.models import Notification, Recipient


async def notification_with_address(
    session: AsyncSession, notification_id: uuid.UUID
) -> tuple[Notification, str | None] | None:
    """A notification by id (for delivery, which only knows the id) and its user's address."""
    row = (
        await session.execute(
            select(Notification, Recipient.email)
            .outerjoin(Recipient, Recipient.user_id == Notification.user_id)
            .where(Notification.id == notification_id)
        )
    ).one_or_none()
    if row is None:
        return None
    return row[0], row[1]


async def claim_email(
    session: AsyncSession, notification_id: uuid.UUID, now: datetime, stale_before: datetime
) -> bool:
    """Take the right to send a notification's email: True unless it was sent, or another
    delivery claimed it after `stale_before`. Race-safe: a concurrent claimer's UPDATE waits
    for this row and then finds the condition false.
    """
    result = await session.execute(
        update(Notification)
        .where(
            Notification.id == notification_id,
            Notification.emailed_at.is_(None),
            or_(
                Notification.email_claimed_at.is_(None),
                Notification.email_claimed_at < stale_before,
            ),
        )
        .values(email_claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def release_email_claim(session: AsyncSession, notification_id: uuid.UUID) -> None:
    await session.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.emailed_at.is_(None))
        .values(email_claimed_at=None)
        .execution_options(synchronize_session=False)
    )


async def mark_emailed(session: AsyncSession, notification_id: uuid.UUID, now: datetime) -> bool:
    """Record the email as sent, once; False if it already was."""
    result = await session.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.emailed_at.is_(None))
        .values(emailed_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
