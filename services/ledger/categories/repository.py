"""Queries of categories, each scoped by the owning user."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger import rows
from services.ledger.models import Category


async def categories_for_user(session: AsyncSession, user_id: uuid.UUID) -> list[Category]:
    result = await session.scalars(
        select(Category).where(Category.user_id == user_id).order_by(Category.group, Category.name)
    )
    return list(result)


async def categories_by_ids(
    session: AsyncSession, user_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[Category]:
    return await rows.owned_by_ids(session, Category, user_id, ids)


async def category_for_user(
    session: AsyncSession, user_id: uuid.UUID, category_id: uuid.UUID
) -> Category | None:
    return await session.scalar(
        select(Category).where(Category.user_id == user_id, Category.id == category_id)
    )
