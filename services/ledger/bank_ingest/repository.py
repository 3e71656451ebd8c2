"""Queries of bank ingest: a linked item's transactions and pending tombstones by the bank's
ids (each scoped by user and item), and pruning old tombstones."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.models import PendingTombstone, Transaction
from shared.sql import scalars_in_chunks


async def bank_transactions(
    session: AsyncSession, user_id: uuid.UUID, item_ref: uuid.UUID, provider_ids: Sequence[str]
) -> list[Transaction]:
    return await scalars_in_chunks(
        session,
        provider_ids,
        lambda chunk: select(Transaction).where(
            Transaction.user_id == user_id,
            Transaction.item_ref == item_ref,
            Transaction.provider_transaction_id.in_(chunk),
        ),
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
