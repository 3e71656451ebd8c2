"""Queries on deliveries, their notifications, and delivery settings. Claims are conditional
UPDATEs, so concurrent workers never both hold a row."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier.models import Delivery, DeliverySettings, Notification, Recipient

PENDING, SENT, FAILED = "PENDING", "SENT", "FAILED"


def _free(now: dt.datetime) -> Any:
    return or_(Delivery.claimed_until.is_(None), Delivery.claimed_until <= now)


def _not_queued(now: dt.datetime) -> Any:
    return or_(Delivery.queued_until.is_(None), Delivery.queued_until <= now)


async def rule_ids(
    session: AsyncSession, notification_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID | None]:
    rows = await session.execute(
        select(Notification.id, Notification.rule_id).where(Notification.id.in_(notification_ids))
    )
    return {row[0]: row[1] for row in rows}


async def recipient(session: AsyncSession, user_id: uuid.UUID) -> Recipient | None:
    return await session.get(Recipient, user_id)


async def settings(session: AsyncSession, user_id: uuid.UUID) -> DeliverySettings | None:
    return await session.get(DeliverySettings, user_id)


def add_settings(session: AsyncSession, row: DeliverySettings) -> None:
    session.add(row)


async def count_kind_since(
    session: AsyncSession,
    user_id: uuid.UUID,
    kind: str,
    since: dt.datetime,
    excluding: Collection[uuid.UUID],
) -> int:
    """How many of the user's notifications of `kind` were raised since `since`, leaving out
    `excluding` (the batch being delivered)."""
    query = (
        select(func.count())
        .select_from(Notification)
        .where(
            Notification.user_id == user_id,
            Notification.kind == kind,
            Notification.created_at >= since,
        )
    )
    if excluding:
        query = query.where(Notification.id.not_in(excluding))
    return int(await session.scalar(query) or 0)


async def insert_deliveries(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await session.execute(insert(Delivery), list(rows))


async def deliveries_of(
    session: AsyncSession, user_id: uuid.UUID, notification_ids: Collection[uuid.UUID]
) -> Sequence[Delivery]:
    """The user's deliveries of these notifications, in channel order."""
    query = (
        select(Delivery)
        .where(Delivery.user_id == user_id, Delivery.notification_id.in_(notification_ids))
        .order_by(Delivery.notification_id, Delivery.channel)
    )
    return (await session.scalars(query)).all()


async def delivery_with_notification(
    session: AsyncSession, delivery_id: uuid.UUID
) -> tuple[Delivery, Notification] | None:
    row = (
        await session.execute(
            select(Delivery, Notification)
            .join(Notification, Notification.id == Delivery.notification_id)
            .where(Delivery.id == delivery_id)
        )
    ).one_or_none()
    return None if row is None else (row[0], row[1])


async def delivery_id_of(
    session: AsyncSession, notification_id: uuid.UUID, channel: str
) -> uuid.UUID | None:
    return await session.scalar(
        select(Delivery.id).where(
            Delivery.notification_id == notification_id, Delivery.channel == channel
        )
    )


async def claim(
    session: AsyncSession, delivery_id: uuid.UUID, now: dt.datetime, until: dt.datetime
) -> bool:
    """Hold a pending, due delivery until `until`: True unless it is done, not yet due, waits
    for the digest, or another worker holds it. Race-safe: a concurrent claimer's UPDATE
    waits for this row and then finds the condition false."""
    result = await session.execute(
        update(Delivery)
        .where(
            Delivery.id == delivery_id,
            Delivery.status == PENDING,
            Delivery.in_digest.is_(False),
            or_(Delivery.next_attempt_at.is_(None), Delivery.next_attempt_at <= now),
            _free(now),
        )
        # The job arrived: from now on the lease, not the queueing, keeps the pass away.
        .values(claimed_until=until, queued_until=None, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def record(session: AsyncSession, delivery_id: uuid.UUID, **values: Any) -> None:
    """Write an attempt's outcome and let go of the claim."""
    await session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status == PENDING)
        .values(claimed_until=None, queued_until=None, **values)
        .execution_options(synchronize_session=False)
    )


async def due_deliveries(
    session: AsyncSession, now: dt.datetime, limit: int
) -> Sequence[uuid.UUID]:
    """Pending deliveries whose time has come (quiet hours over, a retry's wait past, a lost
    job's lease expired), oldest first; the digest's wait for the digest instead."""
    query = (
        select(Delivery.id)
        .where(
            Delivery.status == PENDING,
            Delivery.in_digest.is_(False),
            Delivery.next_attempt_at <= now,
            _free(now),
            _not_queued(now),
        )
        .order_by(Delivery.next_attempt_at)
        .limit(limit)
    )
    return (await session.scalars(query)).all()


async def mark_queued(
    session: AsyncSession, delivery_ids: Collection[uuid.UUID], until: dt.datetime
) -> None:
    """Out of the periodic pass's way until `until` (a job for them is on its way)."""
    await session.execute(
        update(Delivery)
        .where(Delivery.id.in_(delivery_ids), Delivery.status == PENDING)
        .values(queued_until=until)
        .execution_options(synchronize_session=False)
    )


async def users_with_digest_waiting(
    session: AsyncSession, after: uuid.UUID | None, limit: int
) -> Sequence[uuid.UUID]:
    """The users with emails waiting for a digest, in pages (keyset on the user's id)."""
    query = select(Delivery.user_id).where(Delivery.status == PENDING, Delivery.in_digest.is_(True))
    if after is not None:
        query = query.where(Delivery.user_id > after)
    query = query.group_by(Delivery.user_id).order_by(Delivery.user_id).limit(limit)
    return (await session.scalars(query)).all()


async def claim_digest(
    session: AsyncSession, user_id: uuid.UUID, now: dt.datetime, until: dt.datetime
) -> list[uuid.UUID]:
    """Hold every delivery of the user waiting for the digest (none another worker holds)."""
    result = await session.execute(
        update(Delivery)
        .where(
            Delivery.user_id == user_id,
            Delivery.status == PENDING,
            Delivery.in_digest.is_(True),
            _free(now),
        )
        .values(claimed_until=until, updated_at=now)
        .returning(Delivery.id)
        .execution_options(synchronize_session=False)
    )
    return [row[0] for row in result]


async def notifications_of_deliveries(
    session: AsyncSession, delivery_ids: Collection[uuid.UUID]
) -> Sequence[Notification]:
    query = (
        select(Notification)
        .join(Delivery, Delivery.notification_id == Notification.id)
        .where(Delivery.id.in_(delivery_ids))
        .order_by(Notification.created_at, Notification.id)
    )
    return (await session.scalars(query)).all()


async def record_many(
    session: AsyncSession, delivery_ids: Collection[uuid.UUID], **values: Any
) -> None:
    await session.execute(
        update(Delivery)
        .where(Delivery.id.in_(delivery_ids), Delivery.status == PENDING)
        .values(claimed_until=None, **values)
        .execution_options(synchronize_session=False)
    )
