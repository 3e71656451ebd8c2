"""Where a user's notifications go. Functions take a unit of work and never commit."""

from __future__ import annotations

import uuid

from services.notifier.models import Recipient
from services.notifier.recipients import repository
from shared.clock import utcnow
from shared.db import UnitOfWork
from shared.validation import clean_email


async def set_recipient_email(work: UnitOfWork, user_id: uuid.UUID, email: str) -> None:
    address = clean_email(email)
    existing = await repository.recipient(work.session, user_id)
    if existing is None:
        repository.add(work.session, Recipient(user_id=user_id, email=address, updated_at=utcnow()))
        return
    existing.email = address
    existing.updated_at = utcnow()
