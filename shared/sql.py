"""SQL building blocks every repository shares: `IN` lists in bounded chunks, and the insert
that ignores a conflict on either database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar, TypeVarTuple

from sqlalchemy import Row, Select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import ColumnElement, UnaryExpression
from sqlalchemy.sql.selectable import TypedReturnsRows

# Stays well below SQLite's and asyncpg's bound-parameter limits.
IN_CHUNK = 500

T = TypeVar("T")
R = TypeVar("R")
Ts = TypeVarTuple("Ts")


def chunked(values: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


async def scalars_in_chunks(
    session: AsyncSession,
    values: Sequence[T],
    statement_for: Callable[[Sequence[T]], TypedReturnsRows[R]],
) -> list[R]:
    """Run `statement_for(chunk)` for each chunk of `values` (an `IN` list) and gather the rows."""
    found: list[R] = []
    for chunk in chunked(values):
        found.extend(await session.scalars(statement_for(chunk)))
    return found


async def rows_in_chunks(
    session: AsyncSession,
    values: Sequence[T],
    statement_for: Callable[[Sequence[T]], Select[*Ts]],
) -> list[Row[*Ts]]:
    """Like `scalars_in_chunks`, for statements that select several columns."""
    found: list[Row[*Ts]] = []
    for chunk in chunked(values):
        found.extend(await session.execute(statement_for(chunk)))
    return found


def insert_ignoring_conflict(
    session: AsyncSession, model: type[Any], *, conflict_on: Sequence[Any], **values: Any
) -> postgresql.Insert | sqlite.Insert:
    """`INSERT ... ON CONFLICT (conflict_on) DO NOTHING` in the session's dialect."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(model).values(**values).on_conflict_do_nothing(index_elements=list(conflict_on))


def not_indexed(column: InstrumentedAttribute[Any]) -> ColumnElement[Any]:
    """`+column`: SQLite's documented way to keep a term from being used by an index (SQLite
    only: PostgreSQL has no unary plus for most types)."""
    return UnaryExpression(column.expression, operator=operators.custom_op("+"), type_=column.type)
