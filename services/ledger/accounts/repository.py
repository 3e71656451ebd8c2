"""Queries of accounts and their balances, each scoped by the owning user."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger import rows
from services.ledger.models import Account, Transaction
from shared.sql import rows_in_chunks


async def accounts_for_user(session: AsyncSession, user_id: uuid.UUID) -> list[Account]:
    result = await session.scalars(
        select(Account).where(Account.user_id == user_id).order_by(Account.created_at, Account.id)
    )
    return list(result)


async def accounts_by_ids(
    session: AsyncSession, user_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[Account]:
    return await rows.owned_by_ids(session, Account, user_id, ids)


async def account_for_user(
    session: AsyncSession, user_id: uuid.UUID, account_id: uuid.UUID
) -> Account | None:
    return await session.scalar(
        select(Account).where(Account.user_id == user_id, Account.id == account_id)
    )


async def accounts_for_items(
    session: AsyncSession, user_id: uuid.UUID, item_refs: Sequence[uuid.UUID], *, lock: bool = False
) -> list[Account]:
    """The user's accounts of these linked items; `lock` serializes concurrent syncs of an
    item on PostgreSQL (SQLite writers are serialized already)."""
    query = (
        select(Account)
        .where(Account.user_id == user_id, Account.item_ref.in_(item_refs))
        .order_by(Account.created_at, Account.id)
    )
    if lock:
        query = query.with_for_update()
    return list(await session.scalars(query))


async def transaction_sums_by_account(
    session: AsyncSession, user_id: uuid.UUID, account_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    sums = await rows_in_chunks(
        session,
        account_ids,
        lambda chunk: (
            select(Transaction.account_id, func.sum(Transaction.amount_minor))
            .where(Transaction.user_id == user_id, Transaction.account_id.in_(chunk))
            .group_by(Transaction.account_id)
        ),
    )
    return {account_id: int(total) for account_id, total in sums}
