"""The query of item health: an update that gives way to anything the item learnt later.

Callers pass the session; nothing here commits.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, cast

from sqlalchemy import CursorResult, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.sync.models import LinkedItem
from shared.clock import utcnow


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
