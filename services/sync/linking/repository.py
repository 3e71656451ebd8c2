"""Every query of linked items as such: finding, listing and storing them, and their tokens.

Other areas of the sync service (runs, health) find items through these too; the queries that
belong to one area only live with it. Callers pass the session; nothing here commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.sync.models import LinkedItem
from shared.clock import utcnow
from shared.sql import insert_ignoring_conflict


async def get_item(session: AsyncSession, item_id: uuid.UUID) -> LinkedItem | None:
    return await session.get(LinkedItem, item_id)


async def get_user_item(
    session: AsyncSession, user_id: uuid.UUID, item_id: uuid.UUID
) -> LinkedItem | None:
    result = await session.execute(
        select(LinkedItem).where(LinkedItem.id == item_id, LinkedItem.user_id == user_id)
    )
    return result.scalar_one_or_none()


async def list_user_items(session: AsyncSession, user_id: uuid.UUID) -> Sequence[LinkedItem]:
    result = await session.execute(
        select(LinkedItem)
        .where(LinkedItem.user_id == user_id)
        .order_by(LinkedItem.created_at, LinkedItem.id)
    )
    return result.scalars().all()


async def find_by_plaid_item_id(session: AsyncSession, plaid_item_id: str) -> LinkedItem | None:
    result = await session.execute(
        select(LinkedItem).where(LinkedItem.plaid_item_id == plaid_item_id)
    )
    return result.scalar_one_or_none()


async def find_by_public_token(
    session: AsyncSession, user_id: uuid.UUID, public_token_sha256: str
) -> LinkedItem | None:
    result = await session.execute(
        select(LinkedItem).where(
            LinkedItem.user_id == user_id,
            LinkedItem.public_token_sha256 == public_token_sha256,
        )
    )
    return result.scalars().first()


async def insert_item_unless_linked(session: AsyncSession, **values: Any) -> None:
    """Insert a linked item, or nothing if its Plaid item is already stored (even concurrently)."""
    now = utcnow()
    await session.execute(
        insert_ignoring_conflict(
            session,
            LinkedItem,
            conflict_on=[LinkedItem.plaid_item_id],
            id=uuid.uuid4(),
            created_at=now,
            updated_at=now,
            **values,
        )
    )


async def access_tokens_after(
    session: AsyncSession, after: uuid.UUID | None, limit: int
) -> Sequence[tuple[uuid.UUID, str]]:
    """Up to `limit` items' ids and encrypted access tokens, in id order, after the id `after`."""
    statement = select(LinkedItem.id, LinkedItem.access_token_encrypted)
    if after is not None:
        statement = statement.where(LinkedItem.id > after)
    result = await session.execute(statement.order_by(LinkedItem.id).limit(limit))
    return [(item_id, ciphertext) for item_id, ciphertext in result]


async def replace_access_token(
    session: AsyncSession, item_id: uuid.UUID, *, expected: str, new: str
) -> bool:
    """Compare-and-set the encrypted access token; False if it changed since it was read.

    `updated_at` is left alone: it tells sync runs whether the item's status changed while they
    fetched, and a new encryption of the same token changes nothing about the item.
    """
    result = await session.execute(
        update(LinkedItem)
        .where(LinkedItem.id == item_id, LinkedItem.access_token_encrypted == expected)
        .values(access_token_encrypted=new)
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], result).rowcount == 1
