"""The queries of sync runs: the cursor's compare-and-set, and the items due for a sync.

Callers pass the session; nothing here commits.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import CursorResult, case, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.sync.models import ItemStatus, LinkedItem
from shared.clock import utcnow


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
