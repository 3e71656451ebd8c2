"""The user's edits of a pending bank transaction that the bank removed before its posted
version arrived: kept on its tombstone, given to the posted transaction.

The category and notes are columns the ingest copies itself; this module keeps the rest: the
payee the user chose, the reviewed flag, the tags, the split parts and the transfer link.
Everything is read and written for a whole batch at once. What a tombstone names may be gone
when the posted transaction arrives (a tag deleted, a transfer's other half removed or linked
elsewhere): that part of the edit is left out.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.models import PAYEE_SOURCE_USER, PendingTombstone, Transaction
from services.ledger.payees import service as payee_service
from services.ledger.tags import service as tag_service
from services.ledger.transactions import service as transaction_service
from services.ledger.transactions import splits


async def remember(
    session: AsyncSession,
    user_id: uuid.UUID,
    remembered: Sequence[tuple[Transaction, PendingTombstone]],
) -> None:
    """Copy the edits of pending rows about to be removed onto their tombstones."""
    ids = [row.id for row, _ in remembered]
    tags = await tag_service.tags_of_transactions(session, user_id, ids)
    parts = await splits.remembered_parts(session, user_id, ids)
    for row, tombstone in remembered:
        tombstone.payee_id = row.payee_id
        tombstone.payee_source = row.payee_source
        tombstone.reviewed = row.reviewed
        tombstone.transfer_counterpart_id = row.transfer_counterpart_id
        tombstone.tag_ids = [tag.id.hex for tag in tags.get(row.id, [])] or None
        tombstone.tags_source = row.tags_source
        tombstone.split_parts = parts.get(row.id)


async def restore_payees(
    session: AsyncSession,
    user_id: uuid.UUID,
    restored: Sequence[tuple[Transaction, PendingTombstone]],
) -> None:
    """Before the new rows are written: the user's payee, the reviewed flag, and who put the
    tags on (the user's tags stay theirs: rules add none)."""
    chosen = [(row, t) for row, t in restored if t.payee_source == PAYEE_SOURCE_USER]
    wanted = sorted({t.payee_id for _, t in chosen if t.payee_id is not None})
    existing = {p.id for p in await payee_service.payees_by_ids(session, user_id, wanted)}
    for row, tombstone in chosen:
        if tombstone.payee_id is None or tombstone.payee_id in existing:
            row.payee_id = tombstone.payee_id
            row.payee_source = PAYEE_SOURCE_USER
    for row, tombstone in restored:
        if tombstone.reviewed is not None:
            row.reviewed = tombstone.reviewed
        row.tags_source = tombstone.tags_source


async def restore_links(
    session: AsyncSession,
    user_id: uuid.UUID,
    restored: Sequence[tuple[Transaction, PendingTombstone]],
) -> list[Transaction]:
    """Once the new rows are written: their tags, split parts and transfer links. The other
    halves of the transfers linked again (whose counting changed)."""
    tag_ids = {
        row.id: [uuid.UUID(hex=value) for value in tombstone.tag_ids or []]
        for row, tombstone in restored
    }
    existing = set(
        await tag_service.existing_tag_ids(
            session, user_id, sorted({tag for tags in tag_ids.values() for tag in tags})
        )
    )
    for row_id, tags in tag_ids.items():
        kept = [tag for tag in tags if tag in existing]
        if kept:
            await tag_service.set_tags(session, user_id, row_id, kept)
    await splits.restore_parts(
        session, user_id, [(row, t.split_parts) for row, t in restored if t.split_parts]
    )
    return await _relink(session, user_id, restored)


async def _relink(
    session: AsyncSession,
    user_id: uuid.UUID,
    restored: Sequence[tuple[Transaction, PendingTombstone]],
) -> list[Transaction]:
    linked = [(row, t.transfer_counterpart_id) for row, t in restored if t.transfer_counterpart_id]
    if not linked:
        return []
    others = {
        other.id: other
        for other in await transaction_service.transactions_by_ids(
            session, user_id, [other_id for _, other_id in linked if other_id]
        )
    }
    relinked = []
    for row, other_id in linked:
        other = others.get(other_id) if other_id else None
        if other is None or other.transfer_counterpart_id is not None or other.id == row.id:
            continue
        if await splits.parts_of(session, user_id, [row.id, other.id]):
            continue  # a split transaction is never half of a transfer
        row.transfer_counterpart_id = other.id
        other.transfer_counterpart_id = row.id
        relinked.append(other)
    await session.flush()
    return relinked
