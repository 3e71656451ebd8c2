"""Queries on the recipients table, by user."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier.models import Recipient


async def recipient(session: AsyncSession, user_id: uuid.UUID) -> Recipient | None:
    return await session.get(Recipient, user_id)


def add(session: AsyncSession, row: Recipient) -> None:
    session.add(row)
