"""Which verified webhooks were already acted on: a signed webhook stays verifiable for its
freshness window, so anyone who saw one could replay it; the second sighting is ignored."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import delete

from services.sync.models import WebhookReceipt
from shared.clock import utcnow
from shared.db import unit_of_work
from shared.sql import insert_ignoring_conflict

# Longer than the window in which a webhook's `iat` is accepted (five minutes, plus skew).
REMEMBERED_FOR = dt.timedelta(minutes=10)


async def first_sighting(verification_header: str) -> bool:
    """Record the webhook by its signed header; False if it was seen before."""
    digest = hashlib.sha256(verification_header.encode()).hexdigest()
    now = utcnow()
    async with unit_of_work() as work:
        await work.session.execute(
            delete(WebhookReceipt).where(WebhookReceipt.received_at < now - REMEMBERED_FOR)
        )
        inserted = await work.session.scalar(
            insert_ignoring_conflict(
                work.session,
                WebhookReceipt,
                conflict_on=[WebhookReceipt.verification_sha256],
                verification_sha256=digest,
                received_at=now,
            ).returning(WebhookReceipt.verification_sha256)
        )
    return inserted is not None
