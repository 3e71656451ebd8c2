"""Queries on the alert rules table. Each one is scoped by user."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier.models import AlertRule


async def rules(
    session: AsyncSession, user_id: uuid.UUID, *, enabled_only: bool = False
) -> Sequence[AlertRule]:
    query = select(AlertRule).where(AlertRule.user_id == user_id)
    if enabled_only:
        query = query.where(AlertRule.enabled.is_(True))
    result = await session.scalars(query.order_by(AlertRule.created_at, AlertRule.id))
    return result.all()


async def rule(session: AsyncSession, user_id: uuid.UUID, rule_id: uuid.UUID) -> AlertRule | None:
    return await session.scalar(
        select(AlertRule).where(AlertRule.user_id == user_id, AlertRule.id == rule_id)
    )


def add(session: AsyncSession, row: AlertRule) -> None:
    session.add(row)


async def delete(session: AsyncSession, rule: AlertRule) -> None:
    # The notifications it raised stay: their rule_id becomes null (ON DELETE SET NULL).
    await session.delete(rule)
    await session.flush()


async def users_with_rules_of(
    session: AsyncSession, kinds: Sequence[str], now: datetime
) -> list[uuid.UUID]:
    """Users with an enabled rule of one of `kinds` that is not snoozed at `now`."""
    result = await session.scalars(
        select(AlertRule.user_id)
        .where(
            AlertRule.kind.in_(kinds),
            AlertRule.enabled.is_(True),
            or_(AlertRule.snoozed_until.is_(None), AlertRule.snoozed_until <= now),
        )
        .distinct()
        .order_by(AlertRule.user_id)
    )
    return list(result.all())


async def channels_of(session: AsyncSession, rule_id: uuid.UUID) -> list[str] | None:
    """A rule's channels; None for a rule that does not exist (any more)."""
    channels: list[str] | None = await session.scalar(
        select(AlertRule.channels).where(AlertRule.id == rule_id)
    )
    return channels
