"""Dramatiq actors of the sync service (thin: they call the service)."""

from __future__ import annotations

import uuid

from services.sync.api import QUEUE
from services.sync.jobs import REMOVE_BANK_ITEM_ACTOR
from services.sync.runs import service as runs
from services.sync.user_data import service as user_data
from shared.logging import get_logger
from shared.messaging import actor

log = get_logger(__name__)


@actor(
    QUEUE,
    max_retries=8,
    min_backoff_ms=5_000,
    max_backoff_ms=15 * 60_000,
    time_limit_ms=10 * 60_000,
)
async def sync_item(item_id: str) -> None:
    """Bring one linked item's transactions into the ledger (idempotent, at-least-once safe).

    The service opens its own short units of work: no transaction stays open while Plaid is
    called. Rate limits, Plaid's 5xx, data not ready and endless mid-pagination changes raise,
    so Dramatiq retries with backoff; a login the bank wants renewed is recorded, not retried.
    """
    try:
        parsed = uuid.UUID(item_id)
    except ValueError:
        log.error("sync.bad_message", item_id=item_id[:64])
        return
    await runs.sync_linked_item(parsed)


@actor(QUEUE, max_retries=8, min_backoff_ms=5_000, max_backoff_ms=15 * 60_000)
async def remove_bank_item(removal_id: str) -> None:
    """Remove at Plaid a bank item whose user deleted their account (or unlinked the item)
    while Plaid did not confirm the removal (idempotent: a removal done is forgotten).

    Plaid's 5xx, rate limits and lost connections raise, so Dramatiq retries with backoff; once
    the retries are spent the scheduler asks again within the hour.
    """
    try:
        parsed = uuid.UUID(removal_id)
    except ValueError:
        log.error("sync.bad_message", removal_id=removal_id[:64])
        return
    await user_data.remove_pending_item(parsed)


# Deleting an account sends removals to this actor by name.
if remove_bank_item.actor_name != REMOVE_BANK_ITEM_ACTOR:
    raise RuntimeError("removals are sent to an actor of another name")
