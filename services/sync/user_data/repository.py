"""Every query of a user's sync data as a whole, and of the bank items still to be removed at
Plaid. Callers pass the session; nothing here commits."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, cast

from sqlalchemy import CursorResult, and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.sync.models import ItemRemoval, LinkedItem, metadata
from shared.clock import utcnow
from shared.user_rows import delete_user_rows


async def items_after(
    session: AsyncSession, user_id: uuid.UUID, after: uuid.UUID | None, limit: int
) -> list[LinkedItem]:
    statement = select(LinkedItem).where(LinkedItem.user_id == user_id)
    if after is not None:
        statement = statement.where(LinkedItem.id > after)
    return list(await session.scalars(statement.order_by(LinkedItem.id).limit(limit)))


async def delete_items(
    session: AsyncSession, user_id: uuid.UUID
) -> list[tuple[uuid.UUID, str, str]]:
    """Delete the user's items; (id, Plaid item id, encrypted access token) of each deleted.

    What the statement deleted, not what a read before it saw: an item linked meanwhile is
    among them too. (Items go before the rest of the user's rows: a table added later with a
    foreign key to sync_items needs ON DELETE CASCADE, or account deletion fails loudly.)"""
    result = await session.execute(
        delete(LinkedItem)
        .where(LinkedItem.user_id == user_id)
        .returning(LinkedItem.id, LinkedItem.plaid_item_id, LinkedItem.access_token_encrypted)
        .execution_options(synchronize_session=False)
    )
    return [(item_id, plaid_item_id, token) for item_id, plaid_item_id, token in result]


async def delete_everything(session: AsyncSession, user_id: uuid.UUID) -> dict[str, int]:
    """Every row of the user in every sync table (tables added later included)."""
    return await delete_user_rows(session, metadata, user_id)


def add_removal(
    session: AsyncSession, plaid_item_id: str, access_token_encrypted: str
) -> uuid.UUID:
    removal = ItemRemoval(
        id=uuid.uuid4(),
        plaid_item_id=plaid_item_id,
        access_token_encrypted=access_token_encrypted,
        created_at=utcnow(),
        attempts=0,
    )
    session.add(removal)
    return removal.id


async def removal(session: AsyncSession, removal_id: uuid.UUID) -> ItemRemoval | None:
    return await session.get(ItemRemoval, removal_id)


async def delete_removal(session: AsyncSession, removal_id: uuid.UUID) -> None:
    await session.execute(
        delete(ItemRemoval)
        .where(ItemRemoval.id == removal_id)
        .execution_options(synchronize_session=False)
    )


async def record_attempt(
    session: AsyncSession, removal_id: uuid.UUID, error_code: str, now: dt.datetime
) -> None:
    await session.execute(
        update(ItemRemoval)
        .where(ItemRemoval.id == removal_id)
        .values(
            attempts=ItemRemoval.attempts + 1, attempted_at=now, last_error_code=error_code[:100]
        )
        .execution_options(synchronize_session=False)
    )


async def removals_due(
    session: AsyncSession, untried_since: dt.datetime, limit: int
) -> list[uuid.UUID]:
    """Removals nobody tried since `untried_since` (never tried: created before it), oldest
    first."""
    result = await session.scalars(
        select(ItemRemoval.id)
        .where(
            or_(
                ItemRemoval.attempted_at < untried_since,
                and_(ItemRemoval.attempted_at.is_(None), ItemRemoval.created_at < untried_since),
            )
        )
        .order_by(ItemRemoval.created_at, ItemRemoval.id)
        .limit(limit)
    )
    return list(result)


async def removal_tokens(session: AsyncSession) -> list[tuple[uuid.UUID, str]]:
    """Every removal's id and encrypted access token (there are few: failures of Plaid)."""
    result = await session.execute(
        select(ItemRemoval.id, ItemRemoval.access_token_encrypted).order_by(ItemRemoval.id)
    )
    return [(removal_id, ciphertext) for removal_id, ciphertext in result]


async def replace_removal_token(
    session: AsyncSession, removal_id: uuid.UUID, *, expected: str, new: str
) -> bool:
    """Compare-and-set the encrypted access token; False if it changed or went meanwhile."""
    result = await session.execute(
        update(ItemRemoval)
        .where(ItemRemoval.id == removal_id, ItemRemoval.access_token_encrypted == expected)
        .values(access_token_encrypted=new)
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], result).rowcount == 1
