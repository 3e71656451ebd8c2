"""The queries of unlinking: deleting the user's item, and the record of items unlinked.

Callers pass the session; nothing here commits.
"""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.sync.models import LinkedItem, UnlinkedItem
from shared.clock import utcnow


async def delete_item(
    session: AsyncSession, user_id: uuid.UUID, item_id: uuid.UUID
) -> tuple[str, str] | None:
    """Delete the user's item; its Plaid item id and encrypted access token as deleted (None if
    it was not there: another request deleted it first). On PostgreSQL this waits for a sync
    run that is storing the item's update, so none lands after."""
    result = await session.execute(
        delete(LinkedItem)
        .where(LinkedItem.id == item_id, LinkedItem.user_id == user_id)
        .returning(LinkedItem.plaid_item_id, LinkedItem.access_token_encrypted)
        .execution_options(synchronize_session=False)
    )
    row = result.one_or_none()
    return None if row is None else (row[0], row[1])


async def unlinked_item(
    session: AsyncSession, user_id: uuid.UUID, item_id: uuid.UUID
) -> UnlinkedItem | None:
    return await session.scalar(
        select(UnlinkedItem).where(UnlinkedItem.id == item_id, UnlinkedItem.user_id == user_id)
    )


def add_unlinked_item(
    session: AsyncSession,
    *,
    item_id: uuid.UUID,
    user_id: uuid.UUID,
    institution_name: str,
    history: str,
    account_ids: list[uuid.UUID],
    deleted_transaction_count: int,
) -> UnlinkedItem:
    record = UnlinkedItem(
        id=item_id,
        user_id=user_id,
        institution_name=institution_name,
        history=history,
        account_ids=[str(account_id) for account_id in account_ids],
        deleted_transaction_count=deleted_transaction_count,
        unlinked_at=utcnow(),
    )
    session.add(record)
    return record
