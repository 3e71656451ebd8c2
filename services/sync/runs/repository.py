"""The queries of sync runs: the cursor's compare-and-set, the transactions a pagination in
progress reported, and the items due for a sync.

Callers pass the session; nothing here commits.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, case, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from services.sync.models import ItemStatus, LinkedItem, PaginationReport
from shared.clock import utcnow
from shared.sql import IN_CHUNK


@dataclass(frozen=True)
class Position:
    """Where an item's sync stands: the cursor to go on from and, while a pagination is in
    progress (`pass_number` not None), the cursor it started from and which pass it is."""

    cursor: str | None
    pass_number: int | None = None
    start_cursor: str | None = None

    @classmethod
    def of(cls, item: LinkedItem) -> Position:
        return cls(item.cursor, item.pagination_pass, item.pagination_start_cursor)

    @property
    def paginating(self) -> bool:
        return self.pass_number is not None


async def advance(
    session: AsyncSession,
    item_id: uuid.UUID,
    *,
    expected: Position,
    new: Position,
    run_started_at: dt.datetime,
) -> bool:
    """Compare-and-set: move the item from `expected` to `new`; False if it had moved.

    On PostgreSQL the UPDATE locks the row until the caller's transaction ends, so a
    concurrent run of the same item waits here, then finds the item moved and gets False.
    A stored page proves the login worked, so the item turns HEALTHY, unless its status
    was changed while the run was fetching (e.g. a webhook said LOGIN_REQUIRED meanwhile).
    The item counts as synced when a pagination ends.
    """
    now = utcnow()
    untouched_since_start = LinkedItem.updated_at < run_started_at
    values: dict[str, Any] = {
        "cursor": new.cursor,
        "pagination_pass": new.pass_number,
        "pagination_start_cursor": new.start_cursor,
        "status": case((untouched_since_start, ItemStatus.HEALTHY), else_=LinkedItem.status),
        "error_code": case((untouched_since_start, None), else_=LinkedItem.error_code),
        "updated_at": now,
    }
    if not new.paginating:
        values["last_synced_at"] = now
    result = await session.execute(
        update(LinkedItem)
        .where(
            LinkedItem.id == item_id,
            _equals(LinkedItem.cursor, expected.cursor),
            _equals(LinkedItem.pagination_pass, expected.pass_number),
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], result).rowcount == 1


def _equals(column: Any, value: object) -> ColumnElement[bool]:
    return cast(ColumnElement[bool], column.is_(None) if value is None else column == value)


async def record_reports(
    session: AsyncSession,
    item_id: uuid.UUID,
    reported: Mapping[str, bool],
    pass_number: int,
) -> None:
    """Remember that a stored page of the pass `pass_number` reported these transactions
    (by id: whether as added). One statement, compiled once, for every page: its rows as
    parameter sets (each id once, so no batch touches a key twice)."""
    if not reported:
        return
    dialect = session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(PaginationReport)
    upsert = insert.on_conflict_do_update(
        index_elements=["item_id", "provider_transaction_id"],
        set_={
            "pass_number": insert.excluded.pass_number,
            "added": PaginationReport.added | insert.excluded.added,
        },
    )
    await session.execute(
        upsert,
        [
            {
                "item_id": item_id,
                "provider_transaction_id": provider_id,
                "pass_number": pass_number,
                "added": added,
            }
            for provider_id, added in sorted(reported.items())
        ],
    )


async def added_and_unreported_since(
    session: AsyncSession, item_id: uuid.UUID, pass_number: int, *, after: str = ""
) -> list[str]:
    """Up to IN_CHUNK transactions that stored pages reported added before pass `pass_number`
    and none of its pages since, in id order from `after` (keyset pages over the key)."""
    rows = await session.scalars(
        select(PaginationReport.provider_transaction_id)
        .where(
            PaginationReport.item_id == item_id,
            PaginationReport.provider_transaction_id > after,
            PaginationReport.pass_number < pass_number,
            PaginationReport.added,
        )
        .order_by(PaginationReport.provider_transaction_id)
        .limit(IN_CHUNK)
    )
    return list(rows)


async def forget_reports(session: AsyncSession, item_id: uuid.UUID) -> None:
    await session.execute(delete(PaginationReport).where(PaginationReport.item_id == item_id))


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
