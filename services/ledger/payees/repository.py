"""Queries of payees and their keys, each scoped by the owning user."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger import rows
from services.ledger.models import Payee, PayeeKey, PendingTombstone, Transaction
from shared.sql import rows_in_chunks, scalars_in_chunks


async def payee_ids_by_keys(
    session: AsyncSession, user_id: uuid.UUID, keys: Sequence[str]
) -> dict[str, uuid.UUID]:
    found = await rows_in_chunks(
        session,
        keys,
        lambda chunk: select(PayeeKey.key, PayeeKey.payee_id).where(
            PayeeKey.user_id == user_id, PayeeKey.key.in_(chunk)
        ),
    )
    return {payee_id: first for payee_id, first in found if payee_id is not None}


async def payees_by_names(
    session: AsyncSession, user_id: uuid.UUID, names: Sequence[str]
) -> list[Payee]:
    return await scalars_in_chunks(
        session,
        names,
        lambda chunk: select(Payee).where(Payee.user_id == user_id, Payee.name.in_(chunk)),
    )


async def payee_for_user(
    session: AsyncSession, user_id: uuid.UUID, payee_id: uuid.UUID
) -> Payee | None:
    return await session.scalar(select(Payee).where(Payee.user_id == user_id, Payee.id == payee_id))


async def first_dates(
    session: AsyncSession, user_id: uuid.UUID, payee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, dt.date]:
    """The date of each payee's earliest transaction (payees without any are absent)."""
    found = await rows_in_chunks(
        session,
        payee_ids,
        lambda chunk: (
            select(Transaction.payee_id, func.min(Transaction.date))
            .where(Transaction.user_id == user_id, Transaction.payee_id.in_(chunk))
            .group_by(Transaction.payee_id)
        ),
    )
    return {payee_id: first for payee_id, first in found if payee_id is not None}


async def payees_by_ids(
    session: AsyncSession, user_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[Payee]:
    return await scalars_in_chunks(
        session,
        ids,
        lambda chunk: select(Payee).where(Payee.user_id == user_id, Payee.id.in_(chunk)),
    )


async def payee_named(session: AsyncSession, user_id: uuid.UUID, name: str) -> Payee | None:
    return await session.scalar(select(Payee).where(Payee.user_id == user_id, Payee.name == name))


async def key_owner(session: AsyncSession, user_id: uuid.UUID, key: str) -> uuid.UUID | None:
    return await session.scalar(
        select(PayeeKey.payee_id).where(PayeeKey.user_id == user_id, PayeeKey.key == key)
    )


def _search(user_id: uuid.UUID, search: str | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Payee.user_id == user_id]
    if search:
        conditions.append(Payee.name.icontains(search, autoescape=True))
    return conditions


async def payee_page(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    search: str | None,
    after: tuple[str, uuid.UUID] | None,
    limit: int,
) -> list[Payee]:
    """By name, then id (A to Z), starting after (name, id)."""
    statement = select(Payee).where(*_search(user_id, search))
    if after is not None:
        name, payee_id = after
        statement = statement.where(
            or_(Payee.name > name, and_(Payee.name == name, Payee.id > payee_id))
        )
    statement = statement.order_by(Payee.name, Payee.id).limit(limit)
    return list(await session.scalars(statement))


async def count_payees(session: AsyncSession, user_id: uuid.UUID, search: str | None) -> int:
    total = await session.scalar(
        select(func.count()).select_from(Payee).where(*_search(user_id, search))
    )
    return int(total or 0)


def add_payees(session: AsyncSession, payees: Sequence[Payee], keys: Sequence[PayeeKey]) -> None:
    rows.add(session, *payees, *keys)


async def move_to(
    session: AsyncSession, user_id: uuid.UUID, sources: Sequence[uuid.UUID], target: uuid.UUID
) -> int:
    """Give the target everything of the sources (transactions, keys, tombstones); how many
    transactions moved."""
    moved = await session.execute(
        update(Transaction)
        .where(Transaction.user_id == user_id, Transaction.payee_id.in_(sources))
        .values(payee_id=target)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(PayeeKey)
        .where(PayeeKey.user_id == user_id, PayeeKey.payee_id.in_(sources))
        .values(payee_id=target)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(PendingTombstone)
        .where(PendingTombstone.user_id == user_id, PendingTombstone.payee_id.in_(sources))
        .values(payee_id=target)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        delete(Payee)
        .where(Payee.user_id == user_id, Payee.id.in_(sources))
        .execution_options(synchronize_session=False)
    )
    return int(moved.rowcount or 0)  # type: ignore[attr-defined]
