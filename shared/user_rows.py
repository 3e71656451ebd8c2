"""A user's rows in a service's tables, found from the tables themselves, so that deleting an
account removes every row of theirs by construction, tables added later included.

A row is the user's when its owner column (`user_id`, unless the service names another for a
table) holds the user's id, or when one of its foreign keys points at a row that is the user's
(a goal's contributions, a session's refresh tokens). A table with neither holds nobody's rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, MetaData, Table, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

OWNER_COLUMN = "user_id"


def owned_rows(
    table: Table, user_id: uuid.UUID, owner_columns: Mapping[str, str] | None = None
) -> ColumnElement[bool] | None:
    """The condition that picks the user's rows of `table`; None if it holds nobody's rows.

    `owner_columns` names a table's owner column where it is not `user_id` (the gateway's users
    are owned through their `id`)."""
    return _owned(table, user_id, owner_columns or {}, frozenset())


def _owned(
    table: Table, user_id: uuid.UUID, owner_columns: Mapping[str, str], seen: frozenset[str]
) -> ColumnElement[bool] | None:
    owner = owner_columns.get(table.name, OWNER_COLUMN)
    if owner in table.c:
        return table.c[owner] == user_id
    through_parents = []
    for foreign_key in sorted(table.foreign_keys, key=lambda key: key.parent.name):
        parent = foreign_key.column.table
        if parent.name in seen or parent is table:
            continue
        parent_owned = _owned(parent, user_id, owner_columns, seen | {table.name})
        if parent_owned is not None:
            through_parents.append(
                foreign_key.parent.in_(select(foreign_key.column).where(parent_owned))
            )
    return or_(*through_parents) if through_parents else None


async def delete_user_rows(
    session: AsyncSession,
    metadata: MetaData,
    user_id: uuid.UUID,
    owner_columns: Mapping[str, str] | None = None,
) -> dict[str, int]:
    """Delete every row of the user in the tables of `metadata`, children before parents (so a
    foreign key without ON DELETE never stops it); how many rows went, by table."""
    deleted: dict[str, int] = {}
    for table in reversed(metadata.sorted_tables):
        condition = owned_rows(table, user_id, owner_columns)
        if condition is None:
            continue
        result = cast(CursorResult[Any], await session.execute(delete(table).where(condition)))
        deleted[table.name] = result.rowcount
    return deleted
