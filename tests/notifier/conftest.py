"""Fixtures of the notifier's tests. The SMTP server (`smtp_server`) is the session's, from
tests/conftest.py: one real aiosmtpd server on the port TALLY_SMTP_URL points at.
"""

from __future__ import annotations

from collections.abc import Iterator

import dramatiq
import pytest
from dramatiq.asyncio import get_event_loop_thread

from services.notifier.api import QUEUE
from shared.messaging import start_worker


@pytest.fixture(scope="module")
def notifier_worker() -> Iterator[None]:
    """A real Dramatiq worker draining the notifier queue while the module runs.

    Dramatiq's AsyncIO middleware keeps ONE global event-loop thread: if a worker already runs in
    this process (e.g. the live server's), starting and stopping a second one would stop the
    first one's loop, so the running one is used instead.
    """
    import services.notifier.actors  # noqa: F401  (declares the actors and the queue)

    worker: dramatiq.Worker | None = None
    if get_event_loop_thread() is None:
        worker = start_worker(queues=[QUEUE], threads=1)
    yield
    if worker is not None:
        worker.stop()
