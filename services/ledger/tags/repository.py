"""Queries of tags and of which transactions carry them, each scoped by the owning user."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger import rows
from services.ledger.models import Tag, TransactionTag
from shared.sql import chunked, rows_in_chunks, scalars_in_chunks


async def tags_for_user(session: AsyncSession, user_id: uuid.UUID) -> list[Tag]:
    return list(await session.scalars(select(Tag).where(Tag.user_id == user_id)))


async def count_tags(session: AsyncSession, user_id: uuid.UUID) -> int:
    return int(
        await session.scalar(select(func.count()).select_from(Tag).where(Tag.user_id == user_id))
        or 0
    )


async def tag_for_user(session: AsyncSession, user_id: uuid.UUID, tag_id: uuid.UUID) -> Tag | None:
    return await session.scalar(select(Tag).where(Tag.user_id == user_id, Tag.id == tag_id))


async def tag_named(session: AsyncSession, user_id: uuid.UUID, name: str) -> Tag | None:
    return await session.scalar(select(Tag).where(Tag.user_id == user_id, Tag.name == name))


async def tags_by_ids(
    session: AsyncSession, user_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[Tag]:
    return await scalars_in_chunks(
        session, ids, lambda chunk: select(Tag).where(Tag.user_id == user_id, Tag.id.in_(chunk))
    )


async def tags_of_transactions(
    session: AsyncSession, user_id: uuid.UUID, transaction_ids: Sequence[uuid.UUID]
) -> list[tuple[uuid.UUID, Tag]]:
    """(transaction id, tag) of every tag on these transactions."""
    found = await rows_in_chunks(
        session,
        transaction_ids,
        lambda chunk: (
            select(TransactionTag.transaction_id, Tag)
            .join(Tag, Tag.id == TransactionTag.tag_id)
            .where(Tag.user_id == user_id, TransactionTag.transaction_id.in_(chunk))
            .order_by(Tag.name, Tag.id)
        ),
    )
    return [(transaction_id, tag) for transaction_id, tag in found]


async def links_among(
    session: AsyncSession, transaction_ids: Sequence[uuid.UUID], tag_ids: Sequence[uuid.UUID]
) -> set[tuple[uuid.UUID, uuid.UUID]]:
    """Which (transaction, tag) pairs of these exist (ids already proven the user's)."""
    if not tag_ids:
        return set()
    found = await rows_in_chunks(
        session,
        transaction_ids,
        lambda chunk: select(TransactionTag.transaction_id, TransactionTag.tag_id).where(
            TransactionTag.transaction_id.in_(chunk), TransactionTag.tag_id.in_(tag_ids)
        ),
    )
    return {(transaction_id, tag_id) for transaction_id, tag_id in found}


def add_links(session: AsyncSession, links: Sequence[tuple[uuid.UUID, uuid.UUID]]) -> None:
    rows.add(
        session,
        *(TransactionTag(transaction_id=tx_id, tag_id=tag_id) for tx_id, tag_id in links),
    )


async def remove_tags(
    session: AsyncSession, transaction_ids: Sequence[uuid.UUID], tag_ids: Sequence[uuid.UUID]
) -> None:
    """Take these tags off these transactions (ids already proven the user's)."""
    if not tag_ids:
        return
    for chunk in chunked(transaction_ids):
        await session.execute(
            delete(TransactionTag)
            .where(TransactionTag.transaction_id.in_(chunk), TransactionTag.tag_id.in_(tag_ids))
            .execution_options(synchronize_session=False)
        )
