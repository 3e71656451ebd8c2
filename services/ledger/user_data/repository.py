"""Every query of a user's ledger as a whole: each table's rows of the user in keyset pages,
and the deletion of all of them. Each query is scoped by the owning user."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from services.ledger.models import (
    Account,
    Budget,
    Category,
    CategoryGroup,
    ExchangeRate,
    Goal,
    GoalContribution,
    Import,
    LedgerSettings,
    Payee,
    Reconciliation,
    RecurringSeries,
    Tag,
    Transaction,
    TransactionSplit,
    TransactionTag,
    metadata,
)
from shared.pagination import Keyset, after_keyset
from shared.sql import rows_in_chunks, scalars_in_chunks
from shared.user_rows import delete_user_rows

Owned = TypeVar("Owned", CategoryGroup, Account, Budget, Goal)
Named = TypeVar("Named", Payee, Tag)
Row = TypeVar("Row")


async def settings(session: AsyncSession, user_id: uuid.UUID) -> LedgerSettings | None:
    return await session.get(LedgerSettings, user_id)


async def rows_after(
    session: AsyncSession,
    model: type[Owned],
    user_id: uuid.UUID,
    after: uuid.UUID | None,
    limit: int,
) -> list[Owned]:
    """The user's rows of `model` in id order, after the id `after`."""
    statement = select(model).where(model.user_id == user_id)
    if after is not None:
        statement = statement.where(model.id > after)
    return list(await session.scalars(statement.order_by(model.id).limit(limit)))


async def named_after(
    session: AsyncSession, model: type[Named], user_id: uuid.UUID, after: str | None, limit: int
) -> list[Named]:
    """The user's payees or tags by name (unique per user), along their (user, name) index."""
    statement = select(model).where(model.user_id == user_id)
    if after is not None:
        statement = statement.where(model.name > after)
    return list(await session.scalars(statement.order_by(model.name).limit(limit)))


async def categories_after(
    session: AsyncSession, user_id: uuid.UUID, after: uuid.UUID | None, limit: int
) -> list[tuple[Category, str]]:
    """The user's categories in id order, each with its group's name."""
    statement = (
        select(Category, CategoryGroup.name)
        .join(CategoryGroup, CategoryGroup.id == Category.group_id)
        .where(Category.user_id == user_id)
    )
    if after is not None:
        statement = statement.where(Category.id > after)
    rows = await session.execute(statement.order_by(Category.id).limit(limit))
    return [(category, group) for category, group in rows]


def _newest_first(
    statement: Select[Row],
    position: InstrumentedAttribute[Any],
    row_id: InstrumentedAttribute[uuid.UUID],
    after: Keyset[Any] | None,
    limit: int,
) -> Select[Row]:
    """`statement`'s page after `after`, newest first (position desc, id desc)."""
    if after is not None:
        statement = statement.where(after_keyset(position, row_id, after))
    return statement.order_by(position.desc(), row_id.desc()).limit(limit)


async def transactions_after(
    session: AsyncSession, user_id: uuid.UUID, after: Keyset[dt.date] | None, limit: int
) -> list[Transaction]:
    """Newest first (date desc, id desc), along the index the transaction list uses."""
    statement = select(Transaction).where(Transaction.user_id == user_id)
    page = _newest_first(statement, Transaction.date, Transaction.id, after, limit)
    return list(await session.scalars(page))


async def tag_links(
    session: AsyncSession, user_id: uuid.UUID, transaction_ids: Sequence[uuid.UUID]
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(transaction id, tag id) of the tags on these transactions (a page of them: the join
    table is never read whole), each transaction's by tag name."""
    found = await rows_in_chunks(
        session,
        transaction_ids,
        lambda chunk: (
            select(TransactionTag.transaction_id, TransactionTag.tag_id)
            .join(Tag, Tag.id == TransactionTag.tag_id)
            .where(Tag.user_id == user_id, TransactionTag.transaction_id.in_(chunk))
            .order_by(Tag.name, Tag.id)
        ),
    )
    return [(transaction_id, tag_id) for transaction_id, tag_id in found]


async def split_parts(
    session: AsyncSession, user_id: uuid.UUID, transaction_ids: Sequence[uuid.UUID]
) -> list[TransactionSplit]:
    """The parts of these transactions (a page of them), each transaction's in order."""
    found = await scalars_in_chunks(
        session,
        transaction_ids,
        lambda chunk: select(TransactionSplit).where(
            TransactionSplit.user_id == user_id, TransactionSplit.transaction_id.in_(chunk)
        ),
    )
    return sorted(found, key=lambda part: (part.transaction_id, part.position))


async def rates_after(
    session: AsyncSession, user_id: uuid.UUID, after: Keyset[dt.date] | None, limit: int
) -> list[ExchangeRate]:
    """Newest first (date desc, id desc), along the index the rate list uses."""
    statement = select(ExchangeRate).where(ExchangeRate.user_id == user_id)
    page = _newest_first(statement, ExchangeRate.date, ExchangeRate.id, after, limit)
    return list(await session.scalars(page))


async def recurring_after(
    session: AsyncSession, user_id: uuid.UUID, after: Keyset[dt.date] | None, limit: int
) -> list[RecurringSeries]:
    """Most recently seen first (last date desc, id desc), along the series list's index."""
    statement = select(RecurringSeries).where(RecurringSeries.user_id == user_id)
    page = _newest_first(statement, RecurringSeries.last_date, RecurringSeries.id, after, limit)
    return list(await session.scalars(page))


async def imports_after(
    session: AsyncSession, user_id: uuid.UUID, after: Keyset[dt.datetime] | None, limit: int
) -> list[Import]:
    """Newest first (created_at desc, id desc), along the import list's index."""
    statement = select(Import).where(Import.user_id == user_id)
    page = _newest_first(statement, Import.created_at, Import.id, after, limit)
    return list(await session.scalars(page))


async def reconciliations_after(
    session: AsyncSession, user_id: uuid.UUID, after: uuid.UUID | None, limit: int
) -> list[Reconciliation]:
    """In id order; found through the user's accounts (reconciliations are indexed by
    account)."""
    statement = (
        select(Reconciliation)
        .join(Account, Account.id == Reconciliation.account_id)
        .where(Account.user_id == user_id, Reconciliation.user_id == user_id)
    )
    if after is not None:
        statement = statement.where(Reconciliation.id > after)
    return list(await session.scalars(statement.order_by(Reconciliation.id).limit(limit)))


async def contributions_after(
    session: AsyncSession, user_id: uuid.UUID, after: uuid.UUID | None, limit: int
) -> list[tuple[GoalContribution, str]]:
    """The contributions to the user's goals in id order, each with its goal's currency."""
    statement = (
        select(GoalContribution, Goal.currency)
        .join(Goal, Goal.id == GoalContribution.goal_id)
        .where(Goal.user_id == user_id)
    )
    if after is not None:
        statement = statement.where(GoalContribution.id > after)
    rows = await session.execute(statement.order_by(GoalContribution.id).limit(limit))
    return [(contribution, currency) for contribution, currency in rows]


async def account_ids_of_items(
    session: AsyncSession, user_id: uuid.UUID, item_refs: Sequence[uuid.UUID]
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(item_ref, account id) of the user's accounts of these linked items."""
    rows = await rows_in_chunks(
        session,
        item_refs,
        lambda chunk: (
            select(Account.item_ref, Account.id)
            .where(Account.user_id == user_id, Account.item_ref.in_(chunk))
            .order_by(Account.created_at, Account.id)
        ),
    )
    return [(item_ref, account_id) for item_ref, account_id in rows if item_ref is not None]


async def delete_everything(session: AsyncSession, user_id: uuid.UUID) -> dict[str, int]:
    """Every row of the user in every ledger table, tables added later included (their rows
    are found by their `user_id`, or through a foreign key to a row of the user's)."""
    return await delete_user_rows(session, metadata, user_id)
