"""Storing what evaluation found: one notification per user and dedupe key, race-safe."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier.models import Notification
from shared.sql import insert_ignoring_conflict


async def insert_notification_if_absent(session: AsyncSession, values: dict[str, Any]) -> bool:
    """Insert unless the user already has one with this dedupe key; True if inserted.

    ON CONFLICT DO NOTHING on the unique (user_id, dedupe_key) is race-safe: on PostgreSQL a
    concurrent inserter of the same key waits for the first transaction and then does nothing;
    SQLite serialises writers (BEGIN IMMEDIATE) so the later one sees the row.
    """
    statement = insert_ignoring_conflict(
        session, Notification, conflict_on=["user_id", "dedupe_key"], **values
    ).returning(Notification.id)
    inserted = await session.scalar(statement)
    return inserted is not None
