"""Categories: every user gets the defaults; other aggregates require theirs by id."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger import rows
from services.ledger.categories import repository
from services.ledger.categories.defaults import DEFAULT_CATEGORIES
from services.ledger.models import Category
from shared.db import UnitOfWork
from shared.errors import NotFound


async def provision_user(work: UnitOfWork, user_id: uuid.UUID) -> None:
    """Give the user the default categories they lack (safe to call again)."""
    existing = {
        category.name for category in await repository.categories_for_user(work.session, user_id)
    }
    rows.add(
        work.session,
        *(
            Category(user_id=user_id, name=name, group=group)
            for name, group in DEFAULT_CATEGORIES
            if name not in existing
        ),
    )
    await work.session.flush()


async def list_categories(session: AsyncSession, user_id: uuid.UUID) -> list[Category]:
    return await repository.categories_for_user(session, user_id)


async def categories_by_ids(
    session: AsyncSession, user_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[Category]:
    """The user's categories among `ids`; others' ids are silently absent."""
    return await repository.categories_by_ids(session, user_id, ids)


async def require_category(
    session: AsyncSession, user_id: uuid.UUID, category_id: uuid.UUID
) -> Category:
    category = await repository.category_for_user(session, user_id, category_id)
    if category is None:
        raise NotFound("Category")
    return category
