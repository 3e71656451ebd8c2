"""Queries on the alert rules table. Each one is scoped by user."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
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
