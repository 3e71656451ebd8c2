"""Dramatiq actors of the sync service (thin: they call the service)."""

from __future__ import annotations

import uuid

from services.sync.api import QUEUE
from services.sync.runs import service as runs
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
