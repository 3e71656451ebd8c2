"""Queries of transactions: one by id, several by ids, the filtered, keyset-paged list, split
parts, what transfer matching reads, and bulk edits.

Each is scoped by the owning user, so another user's rows can never leak through a forgotten
filter.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, exists, func, not_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger import rows
from services.ledger.models import Account, Category, Transaction, TransactionSplit
from shared.pagination import Keyset, after_keyset
from shared.sql import chunked, rows_in_chunks, scalars_in_chunks


@dataclass(frozen=True, eq=False)
class TransactionQuery:
    """A checked transaction filter compiled into SQL conditions (see filters.py); the first
    condition scopes it to its user."""

    user_id: uuid.UUID
    conditions: tuple[ColumnElement[bool], ...]
    # Set when the filter says no more than accounts, dates and categories: what it selects
    # can then be counted from monthly totals instead of row by row
    # (reports/counts.count_transactions).
    span: Span | None = None


@dataclass(frozen=True)
class Span:
    """Transactions of some accounts (None: all) between two dates (None: open), in some
    categories (None: any; a split transaction by its parts' categories)."""

    account_ids: tuple[uuid.UUID, ...] | None
    date_from: dt.date | None
    date_to: dt.date | None
    category_ids: tuple[uuid.UUID, ...] | None = None
    # The same categories as a condition on a row (the filter's own), for counting rows.
    in_categories: ColumnElement[bool] | None = field(default=None, compare=False)


@dataclass
class PageRows:
    """A page's transactions, and the accounts and categories they are in when asked for
    (read in the same statement, by id)."""

    transactions: list[Transaction]
    accounts: dict[uuid.UUID, Account] = field(default_factory=dict)
    categories: dict[uuid.UUID, Category] = field(default_factory=dict)


async def transaction_page(
    session: AsyncSession,
    query: TransactionQuery,
    *,
    after: Keyset[dt.date] | None,
    limit: int,
    with_accounts: bool = False,
    with_categories: bool = False,
) -> PageRows:
    """Newest first (date desc, then id desc), starting after the keyset `after`; with each
    row's account and category (the user's own: joined on the user too) when asked, which a
    page's items would otherwise load in statements of their own."""
    entities: list[Any] = [Transaction]
    if with_accounts:
        entities.append(Account)
    if with_categories:
        entities.append(Category)
    statement = select(*entities).where(*query.conditions)
    if with_accounts:
        statement = statement.join(
            Account, and_(Account.id == Transaction.account_id, Account.user_id == query.user_id)
        )
    if with_categories:
        statement = statement.outerjoin(
            Category,
            and_(Category.id == Transaction.category_id, Category.user_id == query.user_id),
        )
    if after is not None:
        statement = statement.where(after_keyset(Transaction.date, Transaction.id, after))
    statement = statement.order_by(Transaction.date.desc(), Transaction.id.desc()).limit(limit)
    if len(entities) == 1:
        return PageRows(list(await session.scalars(statement)))
    page = PageRows([])
    for row in await session.execute(statement):
        page.transactions.append(row[0])
        if with_accounts:
            page.accounts[row[1].id] = row[1]
        category = row[-1] if with_categories else None
        if category is not None:
            page.categories[category.id] = category
    return page


async def count_transactions(session: AsyncSession, query: TransactionQuery) -> int:
    total = await session.scalar(
        select(func.count()).select_from(Transaction).where(*query.conditions)
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


# --- split parts -----------------------------------------------------------------------------


async def has_parts(session: AsyncSession, transaction_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(TransactionSplit.id)
        .where(TransactionSplit.transaction_id == transaction_id)
        .limit(1)
    )
    return found is not None


async def parts_of(
    session: AsyncSession, user_id: uuid.UUID, transaction_ids: Sequence[uuid.UUID]
) -> list[TransactionSplit]:
    """The parts of these transactions of the user's, each transaction's in order."""
    found = await scalars_in_chunks(
        session,
        transaction_ids,
        lambda chunk: select(TransactionSplit).where(
            TransactionSplit.user_id == user_id, TransactionSplit.transaction_id.in_(chunk)
        ),
    )
    return sorted(found, key=lambda part: (part.transaction_id, part.position))


async def delete_parts(session: AsyncSession, transaction_ids: Sequence[uuid.UUID]) -> None:
    for chunk in chunked(transaction_ids):
        await session.execute(
            delete(TransactionSplit)
            .where(TransactionSplit.transaction_id.in_(chunk))
            .execution_options(synchronize_session=False)
        )


# --- transfers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unlinked:
    """What matching transfers reads of a transaction."""

    id: uuid.UUID
    account_id: uuid.UUID
    date: dt.date
    amount_minor: int
    currency: str


async def unlinked_in_range(
    session: AsyncSession, user_id: uuid.UUID, date_from: dt.date, date_to: dt.date
) -> list[Unlinked]:
    """The user's transactions dated in the range that could be half of a transfer: not
    linked yet, not split, not zero."""
    parts = select(TransactionSplit.id).where(TransactionSplit.transaction_id == Transaction.id)
    found = await session.execute(
        select(
            Transaction.id,
            Transaction.account_id,
            Transaction.date,
            Transaction.amount_minor,
            Transaction.currency,
        ).where(
            Transaction.user_id == user_id,
            Transaction.date >= date_from,
            Transaction.date <= date_to,
            Transaction.transfer_counterpart_id.is_(None),
            Transaction.amount_minor != 0,
            not_(exists(parts)),
        )
    )
    return [Unlinked(*row) for row in found]


# --- bulk edits ------------------------------------------------------------------------------


async def matching_ids(
    session: AsyncSession, query: TransactionQuery, limit: int
) -> list[uuid.UUID]:
    """The ids of (at most `limit` of) the transactions a query matches."""
    found = await session.scalars(select(Transaction.id).where(*query.conditions).limit(limit))
    return list(found)


@dataclass(frozen=True)
class EditState:
    """What a bulk edit reads of a transaction before changing it."""

    id: uuid.UUID
    date: dt.date
    category_id: uuid.UUID | None
    category_source: str | None
    reviewed: bool
    split: bool


async def edit_states(
    session: AsyncSession, user_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[EditState]:
    parts = select(TransactionSplit.id).where(TransactionSplit.transaction_id == Transaction.id)
    found = await rows_in_chunks(
        session,
        ids,
        lambda chunk: select(
            Transaction.id,
            Transaction.date,
            Transaction.category_id,
            Transaction.category_source,
            Transaction.reviewed,
            exists(parts),
        ).where(Transaction.user_id == user_id, Transaction.id.in_(chunk)),
    )
    return [EditState(*row) for row in found]


async def set_columns(
    session: AsyncSession, user_id: uuid.UUID, ids: Sequence[uuid.UUID], **values: object
) -> None:
    """Set the same values on many of the user's transactions."""
    for chunk in chunked(ids):
        await session.execute(
            update(Transaction)
            .where(Transaction.user_id == user_id, Transaction.id.in_(chunk))
            .values(**values)
            .execution_options(synchronize_session=False)
        )
