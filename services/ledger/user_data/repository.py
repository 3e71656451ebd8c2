"""Every query of a user's ledger as a whole: each table's rows of the user in keyset pages,
and the deletion of all of them. Each query is scoped by the owning user."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.models import (
    Account,
    Budget,
    Category,
    ExchangeRate,
    Goal,
    GoalContribution,
    LedgerSettings,
    Transaction,
    metadata,
)
from shared.pagination import Keyset, after_keyset
from shared.sql import rows_in_chunks
from shared.user_rows import delete_user_rows

Owned = TypeVar("Owned", Category, Account, Budget, Goal)


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


async def transactions_after(
    session: AsyncSession, user_id: uuid.UUID, after: Keyset[dt.date] | None, limit: int
) -> list[Transaction]:
    """Newest first (date desc, id desc), along the index the transaction list uses."""
    statement = select(Transaction).where(Transaction.user_id == user_id)
    if after is not None:
        statement = statement.where(after_keyset(Transaction.date, Transaction.id, after))
    statement = statement.order_by(Transaction.date.desc(), Transaction.id.desc()).limit(limit)
    return list(await session.scalars(statement))


async def rates_after(
    session: AsyncSession, user_id: uuid.UUID, after: Keyset[dt.date] | None, limit: int
) -> list[ExchangeRate]:
    """Newest first (date desc, id desc), along the index the rate list uses."""
    statement = select(ExchangeRate).where(ExchangeRate.user_id == user_id)
    if after is not None:
        statement = statement.where(after_keyset(ExchangeRate.date, ExchangeRate.id, after))
    statement = statement.order_by(ExchangeRate.date.desc(), ExchangeRate.id.desc()).limit(limit)
    return list(await session.scalars(statement))


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
