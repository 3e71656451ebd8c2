"""`tally scheduler`: periodic jobs, on one long-lived event loop.

Webhooks drive bank syncs; this loop is the safety net that enqueues a sync of every item
no webhook brought up to date for a while, and asks again for the removal at Plaid of a deleted
user's item whose removal job gave up. It also releases the notifier's deliveries that waited
(quiet hours, retries), sends the daily digests whose hour came, and queues the notifier's
pass over the alert kinds a clock drives (bills due, goals, low balances, the weekly summary).
"""

from __future__ import annotations

import asyncio
import contextlib

from services.notifier import api as notifier_api
from services.sync import api as sync_api
from shared.db import dispose_engine
from shared.logging import get_logger

log = get_logger(__name__)


async def schedule(interval_seconds: float, stop: asyncio.Event) -> int:
    """Enqueue due syncs every `interval_seconds` until `stop` is set; how many passes ran.
    A failed pass is logged and retried at the next tick."""
    passes = 0
    while not stop.is_set():
        passes += 1
        try:
            queued = await sync_api.enqueue_due_syncs()
            removals = await sync_api.enqueue_due_item_removals()
            deliveries = await notifier_api.release_due_deliveries()
        except Exception:
            log.exception("scheduler.pass_failed")
        else:
            log.info(
                "scheduler.pass",
                queued_syncs=queued,
                queued_item_removals=removals,
                released_deliveries=deliveries.released,
                queued_digests=deliveries.digests,
            )
        # Alerts on their own: a bank outage must not silence bills due or goals.
        try:
            alerts = await notifier_api.enqueue_scheduled_alerts()
        except Exception:
            log.exception("scheduler.alerts_pass_failed")
        else:
            log.info("scheduler.alerts_pass", queued_alert_evaluations=alerts)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval_seconds)
    return passes


async def run_scheduler(interval_seconds: float, stop: asyncio.Event) -> int:
    """`tally scheduler`: `schedule` on one event loop for the process's life, so one engine
    and one connection pool, closed before the loop ends."""
    try:
        return await schedule(interval_seconds, stop)
    finally:
        await dispose_engine()
