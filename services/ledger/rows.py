"""What every aggregate's repository does alike: add and delete rows, find the user's rows
among ids (another user's ids are silently absent, so they can never leak), and make a user's
checked writes take turns."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.models import Account, Category, CategoryGroup, LedgerSettings, Transaction
from shared.sql import scalars_in_chunks

Owned = TypeVar("Owned", Category, Account, Transaction, CategoryGroup)


def add(session: AsyncSession, *rows: object) -> None:
    session.add_all(rows)


async def delete(session: AsyncSession, rows: Sequence[object]) -> None:
    for row in rows:
        await session.delete(row)
    await session.flush()


async def owned_by_ids(
    session: AsyncSession, model: type[Owned], user_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[Owned]:
    """The user's rows of `model` among `ids`; others' ids are silently absent."""
    return await scalars_in_chunks(
        session,
        ids,
        lambda chunk: select(model).where(model.user_id == user_id, model.id.in_(chunk)),
    )


async def lock_user(session: AsyncSession, user_id: uuid.UUID) -> None:
    """Make the user's writes that check before they write (a name still free, positions, money
    still available to move) take turns: lock their settings row until the transaction ends.
    (On SQLite every write transaction already holds the database's one write lock.)"""
    await session.execute(
        select(LedgerSettings.user_id).where(LedgerSettings.user_id == user_id).with_for_update()
    )
