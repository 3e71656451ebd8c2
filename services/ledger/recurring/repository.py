"""Queries of recurring series, and of the history they are detected in, each scoped by the
owning user."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.models import LedgerSettings, RecurringSeries, Transaction
from services.ledger.recurring.detection import HistoryRow
from services.ledger.recurring.keys import KEY_SOURCE
from shared.pagination import Keyset, after_keyset
from shared.sql import rows_in_chunks, scalars_in_chunks

# Rows fetched from the database at a time while detecting: memory stays bounded whatever the
# length of the history.
HISTORY_BATCH = 2_000


async def history_rows(
    session: AsyncSession, user_id: uuid.UUID, date_from: dt.date, date_to: dt.date
) -> AsyncIterator[list[HistoryRow]]:
    """The user's posted transactions in the range, oldest first, a batch at a time: only the
    columns detection reads, streamed (never the whole history in memory at once). Pending
    ones are left out: the bank may still change or drop them."""
    statement = (
        select(
            KEY_SOURCE.label("key_source"),
            Transaction.description,
            Transaction.currency,
            Transaction.date,
            Transaction.amount_minor,
        )
        .where(
            Transaction.user_id == user_id,
            Transaction.date >= date_from,
            Transaction.date <= date_to,
            Transaction.pending.is_(False),
        )
        .order_by(Transaction.date, Transaction.id)
        .execution_options(yield_per=HISTORY_BATCH)
    )
    # On the connection, not the session: plain rows, without the ORM's per-row bookkeeping.
    connection = await session.connection()
    result = await connection.stream(statement)
    async for partition in result.partitions():
        yield [HistoryRow._make(row) for row in partition]


async def lock_users_series(session: AsyncSession, user_id: uuid.UUID) -> None:
    """Take the user's row lock (PostgreSQL) so two detections of one user store one after the
    other; SQLite's write transactions already do."""
    await session.execute(
        select(LedgerSettings.user_id).where(LedgerSettings.user_id == user_id).with_for_update()
    )


async def all_series(session: AsyncSession, user_id: uuid.UUID) -> list[RecurringSeries]:
    return list(
        await session.scalars(select(RecurringSeries).where(RecurringSeries.user_id == user_id))
    )


async def series_for_user(
    session: AsyncSession, user_id: uuid.UUID, series_id: uuid.UUID
) -> RecurringSeries | None:
    return await session.scalar(
        select(RecurringSeries).where(
            RecurringSeries.user_id == user_id, RecurringSeries.id == series_id
        )
    )


@dataclass(frozen=True)
class SeriesQuery:
    """Which of a user's series to list (values already checked)."""

    user_id: uuid.UUID
    statuses: tuple[str, ...] = ()
    direction: str | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = [RecurringSeries.user_id == self.user_id]
        if self.statuses:
            conditions.append(RecurringSeries.status.in_(self.statuses))
        if self.direction is not None:
            conditions.append(RecurringSeries.direction == self.direction)
        return conditions


async def series_page(
    session: AsyncSession, query: SeriesQuery, *, after: Keyset[dt.date] | None, limit: int
) -> list[RecurringSeries]:
    """Most recently seen first (last date desc, then id desc), after the keyset `after`."""
    statement = select(RecurringSeries).where(*query.conditions())
    if after is not None:
        statement = statement.where(
            after_keyset(RecurringSeries.last_date, RecurringSeries.id, after)
        )
    statement = statement.order_by(
        RecurringSeries.last_date.desc(), RecurringSeries.id.desc()
    ).limit(limit)
    return list(await session.scalars(statement))


async def count_series(session: AsyncSession, query: SeriesQuery) -> int:
    total = await session.scalar(
        select(func.count()).select_from(RecurringSeries).where(*query.conditions())
    )
    return int(total or 0)


async def listed_series(session: AsyncSession, query: SeriesQuery) -> list[RecurringSeries]:
    """Every series the query matches (a user has one per series key at most)."""
    return list(await session.scalars(select(RecurringSeries).where(*query.conditions())))


async def key_sources_of(
    session: AsyncSession, user_id: uuid.UUID, transaction_ids: Sequence[uuid.UUID]
) -> list[tuple[uuid.UUID, str, str, int]]:
    """(id, key source, currency, amount) of the user's transactions among the ids."""
    found = await rows_in_chunks(
        session,
        transaction_ids,
        lambda chunk: select(
            Transaction.id, KEY_SOURCE, Transaction.currency, Transaction.amount_minor
        ).where(Transaction.user_id == user_id, Transaction.id.in_(chunk)),
    )
    return [(row_id, source, currency, amount) for row_id, source, currency, amount in found]


async def series_with_keys(
    session: AsyncSession, user_id: uuid.UUID, keys: Collection[str]
) -> list[RecurringSeries]:
    """The user's series of these series keys (every currency and direction)."""
    return await scalars_in_chunks(
        session,
        sorted(keys),
        lambda chunk: select(RecurringSeries).where(
            RecurringSeries.user_id == user_id, RecurringSeries.series_key.in_(chunk)
        ),
    )
