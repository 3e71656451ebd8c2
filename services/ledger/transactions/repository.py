"""Queries of transactions: one by id, several by ids, and the filtered, keyset-paged list.

Each is scoped by the owning user, so another user's rows can never leak through a forgotten
filter.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger import rows
from services.ledger.models import Transaction
from shared.pagination import Keyset, after_keyset


@dataclass(frozen=True)
class TransactionQuery:
    """A validated transaction filter (ids already proven to be the user's)."""

    user_id: uuid.UUID
    account_id: uuid.UUID | None = None
    category_id: uuid.UUID | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    search: str | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = [Transaction.user_id == self.user_id]
        if self.account_id is not None:
            conditions.append(Transaction.account_id == self.account_id)
        if self.category_id is not None:
            conditions.append(Transaction.category_id == self.category_id)
        if self.date_from is not None:
            conditions.append(Transaction.date >= self.date_from)
        if self.date_to is not None:
            conditions.append(Transaction.date <= self.date_to)
        if self.search:
            # ILIKE on PostgreSQL, lower() LIKE lower() on SQLite; % and _ are escaped.
            conditions.append(
                or_(
                    Transaction.description.icontains(self.search, autoescape=True),
                    Transaction.notes.icontains(self.search, autoescape=True),
                )
            )
        return conditions


async def transaction_page(
    session: AsyncSession,
    query: TransactionQuery,
    *,
    after: Keyset[dt.date] | None,
    limit: int,
) -> list[Transaction]:
    """Newest first (date desc, then id desc), starting after the keyset `after`."""
    statement = select(Transaction).where(*query.conditions())
    if after is not None:
        statement = statement.where(after_keyset(Transaction.date, Transaction.id, after))
    statement = statement.order_by(Transaction.date.desc(), Transaction.id.desc()).limit(limit)
    return list(await session.scalars(statement))


async def count_transactions(session: AsyncSession, query: TransactionQuery) -> int:
    total = await session.scalar(
        select(func.count()).select_from(Transaction).where(*query.conditions())
    )
    return int(total or 0)


async def transaction_for_user(
    session: AsyncSession, user_id: uuid.UUID, transaction_id: uuid.UUID
) -> Transaction | None:
    return await session.scalar(
        select(Transaction).where(Transaction.user_id == user_id, Transaction.id == transaction_id)
    )


async def transactions_by_ids(
    session: AsyncSession, user_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[Transaction]:
    """Newest first across all chunks (sorting inside each chunk alone would not be)."""
    found = await rows.owned_by_ids(session, Transaction, user_id, ids)
    return sorted(found, key=lambda row: (row.date, row.id), reverse=True)
