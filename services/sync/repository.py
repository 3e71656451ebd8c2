"""Every query of the sync service. Callers pass the session; nothing here commits."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import CursorResult, case, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.sync.models import ItemStatus, LinkedItem
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


async def update_item(
    session: AsyncSession,
    item_id: uuid.UUID,
    *,
    unchanged_since: dt.datetime | None = None,
    **values: Any,
) -> bool:
    """Update an item; with `unchanged_since`, only if nothing updated it after that moment.

    That guard lets an observation made at some moment (e.g. a sync that failed) give way to
    anything the item learnt later (a webhook, a sync that succeeded). False if not updated.
    """
    statement = update(LinkedItem).where(LinkedItem.id == item_id)
    if unchanged_since is not None:
        statement = statement.where(LinkedItem.updated_at < unchanged_since)
    result = await session.execute(
        statement.values(updated_at=utcnow(), **values).execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], result).rowcount == 1


async def advance_cursor(
    session: AsyncSession,
    item_id: uuid.UUID,
    *,
    expected: str | None,
    new: str,
    run_started_at: dt.datetime,
) -> bool:
    """Compare-and-set: move the cursor from `expected` to `new`; False if it had moved.

    On PostgreSQL the UPDATE locks the row until the caller's transaction ends, so a
    concurrent run of the same item waits here, then finds the cursor moved and gets False.
    A stored update proves the login worked, so the item turns HEALTHY, unless its status
    was changed while the run was fetching (e.g. a webhook said LOGIN_REQUIRED meanwhile).
    """
    now = utcnow()
    matches_expected = (
        LinkedItem.cursor.is_(None) if expected is None else LinkedItem.cursor == expected
    )
    untouched_since_start = LinkedItem.updated_at < run_started_at
    result = await session.execute(
        update(LinkedItem)
        .where(LinkedItem.id == item_id, matches_expected)
        .values(
            cursor=new,
            last_synced_at=now,
            status=case((untouched_since_start, ItemStatus.HEALTHY), else_=LinkedItem.status),
            error_code=case((untouched_since_start, None), else_=LinkedItem.error_code),
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], result).rowcount == 1


async def due_item_ids(
    session: AsyncSession, *, synced_before: dt.datetime, limit: int
) -> Sequence[uuid.UUID]:
    """Healthy items not synced since `synced_before` (never-synced first, then the oldest)."""
    result = await session.execute(
        select(LinkedItem.id)
        .where(
            LinkedItem.status == ItemStatus.HEALTHY,
            or_(LinkedItem.last_synced_at.is_(None), LinkedItem.last_synced_at < synced_before),
        )
        .order_by(LinkedItem.last_synced_at.is_not(None), LinkedItem.last_synced_at, LinkedItem.id)
        .limit(limit)
    )
    return result.scalars().all()
