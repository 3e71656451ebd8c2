"""Queries on the push subscriptions table. Each one is scoped by user."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier.models import PushSubscription


async def subscriptions(session: AsyncSession, user_id: uuid.UUID) -> Sequence[PushSubscription]:
    result = await session.scalars(
        select(PushSubscription)
        .where(PushSubscription.user_id == user_id)
        .order_by(PushSubscription.created_at, PushSubscription.id)
    )
    return result.all()


async def by_endpoint(
    session: AsyncSession, user_id: uuid.UUID, endpoint: str
) -> PushSubscription | None:
    return await session.scalar(
        select(PushSubscription).where(
            PushSubscription.user_id == user_id, PushSubscription.endpoint == endpoint
        )
    )


async def count(session: AsyncSession, user_id: uuid.UUID) -> int:
    found = await session.scalar(
        select(func.count())
        .select_from(PushSubscription)
        .where(PushSubscription.user_id == user_id)
    )
    return int(found or 0)


def add(session: AsyncSession, row: PushSubscription) -> None:
    session.add(row)


async def remove(session: AsyncSession, user_id: uuid.UUID, ids: Collection[uuid.UUID]) -> None:
    if ids:
        await session.execute(
            delete(PushSubscription).where(
                PushSubscription.user_id == user_id, PushSubscription.id.in_(ids)
            )
        )


async def mark_delivered(
    session: AsyncSession, user_id: uuid.UUID, ids: Collection[uuid.UUID], at: datetime
) -> None:
    if ids:
        await session.execute(
            update(PushSubscription)
            .where(PushSubscription.user_id == user_id, PushSubscription.id.in_(ids))
            .values(last_delivered_at=at)
        )


async def batch_after(
    session: AsyncSession, after: uuid.UUID | None, limit: int
) -> Sequence[PushSubscription]:
    """Every user's subscriptions by id, a batch at a time (for re-encryption)."""
    query = select(PushSubscription)
    if after is not None:
        query = query.where(PushSubscription.id > after)
    result = await session.scalars(query.order_by(PushSubscription.id).limit(limit))
    return result.all()
