"""Queries of bank ingest: a linked item's transactions and pending tombstones by the bank's
ids (each scoped by user and item), and pruning old tombstones."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import String, bindparam, cast, delete, func, select, true
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql.selectable import Select

from services.ledger.models import PendingTombstone, Transaction
from shared.sql import not_indexed, scalars_in_chunks


async def bank_transactions(
    session: AsyncSession, user_id: uuid.UUID, item_ref: uuid.UUID, provider_ids: Sequence[str]
) -> list[Transaction]:
    """The user's rows of the item with these provider ids, each found through the unique
    (item_ref, provider_transaction_id) index: a lookup costs the ids asked for, never the
    user's history (tests/ledger/test_bank_ingest_lookup.py checks the plan)."""
    postgresql = session.get_bind().dialect.name == "postgresql"
    by_ids = _by_ids_postgresql if postgresql else _by_ids_sqlite
    # Each id once: a probe per id would find a row once per time it is asked for.
    unique = list(dict.fromkeys(provider_ids))
    return await scalars_in_chunks(session, unique, lambda chunk: by_ids(user_id, item_ref, chunk))


def _by_ids_postgresql(
    user_id: uuid.UUID, item_ref: uuid.UUID, provider_ids: Sequence[str]
) -> Select[Transaction]:
    # One probe of the unique key per id: a LATERAL subquery with LIMIT is never flattened
    # into a join, nor given the outer query's user check (so no index on the user competes
    # with the key). With `provider_transaction_id = ANY(...)` and no statistics (right after
    # a bulk load) the planner took the user's and the item's whole bitmaps instead: 400 ms a
    # chunk at 1M rows, against 10 ms.
    wanted = (
        func.unnest(cast(bindparam("provider_ids", list(provider_ids)), ARRAY(String)))
        .table_valued("provider_id")
        .render_derived(name="wanted")
    )
    found = (
        select(Transaction)
        .where(
            Transaction.item_ref == item_ref,
            Transaction.provider_transaction_id == wanted.c.provider_id,
        )
        .limit(1)
        .lateral("found")
    )
    row = aliased(Transaction, found)
    return select(row).select_from(wanted).join(found, true()).where(row.user_id == user_id)


def _by_ids_sqlite(
    user_id: uuid.UUID, item_ref: uuid.UUID, provider_ids: Sequence[str]
) -> Select[Transaction]:
    # The user is checked on each row found, not through an index: offered the user's date
    # index, SQLite's planner (without ANALYZE) walks all of the user's rows for every chunk.
    return select(Transaction).where(
        Transaction.item_ref == item_ref,
        Transaction.provider_transaction_id.in_(provider_ids),
        not_indexed(Transaction.user_id) == user_id,
    )


async def tombstones(
    session: AsyncSession, user_id: uuid.UUID, item_ref: uuid.UUID, provider_ids: Sequence[str]
) -> list[PendingTombstone]:
    return await scalars_in_chunks(
        session,
        provider_ids,
        lambda chunk: select(PendingTombstone).where(
            PendingTombstone.user_id == user_id,
            PendingTombstone.item_ref == item_ref,
            PendingTombstone.provider_transaction_id.in_(chunk),
        ),
    )


async def prune_tombstones(session: AsyncSession, item_ref: uuid.UUID, before: dt.datetime) -> None:
    await session.execute(
        delete(PendingTombstone).where(
            PendingTombstone.item_ref == item_ref, PendingTombstone.removed_at < before
        )
    )


async def delete_tombstones_of_item(
    session: AsyncSession, user_id: uuid.UUID, item_ref: uuid.UUID
) -> None:
    await session.execute(
        delete(PendingTombstone).where(
            PendingTombstone.user_id == user_id, PendingTombstone.item_ref == item_ref
        ),
        execution_options={"synchronize_session": False},
    )
