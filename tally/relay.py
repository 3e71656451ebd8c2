"""`tally relay`, and the loop `tally serve` runs: the outbox's relay on one event loop.

Each unit of work hands its own messages to the broker right after commit; the relay delivers
what that could not (the broker was down, the process died in between), retrying until the
broker takes it. See shared/outbox.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

from shared import outbox
from shared.db import dispose_engine
from shared.logging import get_logger
from shared.messaging import requeue_abandoned

log = get_logger(__name__)

RELAY_INTERVAL_SECONDS = 1.0
# How often the messages of dead workers are put back on their queues (Redis only).
REQUEUE_EVERY_SECONDS = 5.0


async def run_relay(stop: asyncio.Event, interval_seconds: float = RELAY_INTERVAL_SECONDS) -> None:
    """Relay due outbox messages every `interval_seconds` until `stop` is set, and every few
    seconds give back to their queues the messages that dead workers held. A pass with nothing
    due takes no write lock (a relay may look often)."""
    requeued_at = -REQUEUE_EVERY_SECONDS
    while not stop.is_set():
        try:
            if await outbox.any_due():
                while await outbox.relay_once() == outbox.RELAY_BATCH:
                    pass  # a backlog: keep going while whole batches come out
            if time.monotonic() - requeued_at >= REQUEUE_EVERY_SECONDS:
                requeued_at = time.monotonic()
                await asyncio.to_thread(requeue_abandoned)
        except Exception:
            log.exception("relay.pass_failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval_seconds)


async def run_relay_process(stop: asyncio.Event) -> None:
    """The relay as a process of its own: one loop for its life, its pool closed at the end."""
    try:
        await run_relay(stop)
    finally:
        await dispose_engine()
