"""The jobs process of `tally serve`: the in-memory broker's workers, the outbox's relay and the
scheduler, in a process of their own beside the web processes.

A sync ingesting thousands of transactions is CPU work; in a web process it would hold the GIL
that requests need. Here it competes with them only for a core. The web processes hand every
message over (outbox.hand_over_to_relay): this process's relay takes them from the outbox, every
RELAY_INTERVAL_SECONDS, into the one in-memory queue, which only this process holds, so only
this process releases its messages in flight when it starts (those of a previous jobs process,
lost with its memory). Live events it publishes reach the web processes (shared.live_peers).
"""

from __future__ import annotations

import asyncio
import signal

from shared import outbox
from shared.config import get_settings
from shared.db import dispose_engine
from shared.logging import configure_logging, get_logger
from shared.messaging import start_worker
from tally.actors import load_actors
from tally.relay import run_relay
from tally.scheduler import schedule
from tally.serving import settle_memory

log = get_logger(__name__)

# The longest a message stored by a web process waits for this process's relay: a read of the
# outbox's index when nothing is due.
RELAY_INTERVAL_SECONDS = 0.1


async def run_jobs(stop: asyncio.Event) -> None:
    """Work the jobs until `stop` is set, then let the workers finish what they hold."""
    settings = get_settings()
    released = await outbox.release_in_flight()
    if released:
        log.info("outbox.released_in_flight", messages=released)
    worker = start_worker()
    settle_memory()
    try:
        await asyncio.gather(
            run_relay(stop, RELAY_INTERVAL_SECONDS),
            schedule(settings.scheduler_interval_seconds, stop),
        )
    finally:
        # Dramatiq's stop blocks while the workers finish their messages: off the loop.
        await asyncio.to_thread(worker.stop)
        await dispose_engine()


def jobs_process() -> None:
    """The jobs process's entry (spawned by `tally serve`): until SIGTERM or SIGINT."""
    configure_logging(get_settings().log_level)
    load_actors()

    async def main() -> None:
        stop = asyncio.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            asyncio.get_running_loop().add_signal_handler(signum, stop.set)
        log.info("jobs.started")
        await run_jobs(stop)
        log.info("jobs.stopped")

    asyncio.run(main())
