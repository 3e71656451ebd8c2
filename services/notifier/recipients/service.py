"""Where a user's notifications go, and where they live. Functions take a unit of work and
never commit."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier.models import Recipient
from services.notifier.recipients import repository
from shared.clock import utcnow
from shared.db import UnitOfWork
from shared.validation import clean_email, clean_time_zone


async def set_recipient(
    work: UnitOfWork, user_id: uuid.UUID, email: str, time_zone: str = "UTC"
) -> None:
    """Store (or replace) the user's address and time zone. Raises BadUserInput naming
    "email" or "timeZone"."""
    address = clean_email(email)
    zone = clean_time_zone(time_zone)
    existing = await repository.recipient(work.session, user_id)
    if existing is None:
        repository.add(
            work.session,
            Recipient(user_id=user_id, email=address, time_zone=zone, updated_at=utcnow()),
        )
        return
    existing.email, existing.time_zone, existing.updated_at = address, zone, utcnow()


async def set_recipient_email(work: UnitOfWork, user_id: uuid.UUID, email: str) -> None:
    address = clean_email(email)
    existing = await repository.recipient(work.session, user_id)
    if existing is None:
        await set_recipient(work, user_id, address)
        return
    existing.email, existing.updated_at = address, utcnow()


async def set_time_zone(work: UnitOfWork, user_id: uuid.UUID, time_zone: str) -> None:
    """The user moved: alert wording follows. Nothing to do for a user the notifier never
    provisioned."""
    zone = clean_time_zone(time_zone)
    existing = await repository.recipient(work.session, user_id)
    if existing is not None:
        existing.time_zone, existing.updated_at = zone, utcnow()


async def time_zone(session: AsyncSession, user_id: uuid.UUID) -> str:
    """The user's time zone; UTC for a user the notifier does not know."""
    existing = await repository.recipient(session, user_id)
    return existing.time_zone if existing is not None else "UTC"
