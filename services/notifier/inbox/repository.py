"""Queries on the notifications table for the inbox. Each one is scoped by user."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier.models import Notification
from shared.pagination import Keyset, after_keyset


async def notifications_page(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    unread_only: bool,
    limit: int,
    after: Keyset[datetime] | None,
) -> Sequence[Notification]:
    """Newest first, keyset-paginated on (created_at, id); `limit` rows at most."""
    query = select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    if after is not None:
        query = query.where(after_keyset(Notification.created_at, Notification.id, after))
    query = query.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)
    return (await session.scalars(query)).all()


async def owned_notification_ids(
    session: AsyncSession, user_id: uuid.UUID, ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    result = await session.scalars(
        select(Notification.id).where(Notification.user_id == user_id, Notification.id.in_(ids))
    )
    return set(result.all())


async def mark_read(
    session: AsyncSession, user_id: uuid.UUID, ids: Collection[uuid.UUID], now: datetime
) -> int:
    """Mark the unread ones among `ids` read; how many changed."""
    result = await session.execute(
        update(Notification)
        .where(
            Notification.user_id == user_id,
            Notification.id.in_(ids),
            Notification.read_at.is_(None),
        )
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def notification_for_user(
    session: AsyncSession, user_id: uuid.UUID, notification_id: uuid.UUID
) -> Notification | None:
    return await session.scalar(
        select(Notification).where(
            Notification.user_id == user_id, Notification.id == notification_id
        )
    )


async def count_notifications(
    session: AsyncSession, user_id: uuid.UUID, *, unread_only: bool
) -> int:
    """How many of the user's notifications there are (the unread ones only, if asked)."""
    query = select(func.count()).select_from(Notification).where(Notification.user_id == user_id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return int(await session.scalar(query) or 0)
