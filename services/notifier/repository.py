"""Every query of the notifier service. Each one is scoped by user, except delivery by id."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier.models import Notification, Recipient
from shared.sql import insert_ignoring_conflict


async def insert_notification_if_absent(session: AsyncSession, values: dict[str, Any]) -> bool:
    """Insert unless the user already has one with this dedupe key; True if inserted.

    ON CONFLICT DO NOTHING on the unique (user_id, dedupe_key) is race-safe: on PostgreSQL a
    concurrent inserter of the same key waits for the first transaction and then does nothing;
    SQLite serialises writers (BEGIN IMMEDIATE) so the later one sees the row.
    """
    statement = insert_ignoring_conflict(
        session, Notification, conflict_on=["user_id", "dedupe_key"], **values
    ).returning(Notification.id)
    inserted = await session.scalar(statement)
    return inserted is not None


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
