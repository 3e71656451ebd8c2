"""Job workers for tests that need messages handled (a pytest plugin: tests/conftest.py loads it).

Dramatiq's AsyncIO middleware keeps ONE global event-loop thread: if a worker already runs in
this process (the live server's, draining every queue), starting and stopping a second one
would stop the first one's loop, so the running one is used instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import dramatiq
import pytest
from dramatiq.asyncio import get_event_loop_thread

from services.ledger import api as ledger_api
from services.notifier import api as notifier_api
from shared.messaging import broker, start_worker


def _worker_for(queue: str) -> Iterator[None]:
    worker: dramatiq.Worker | None = None
    if get_event_loop_thread() is None:
        worker = start_worker(queues=[queue], threads=1)
    yield
    if worker is not None:
        worker.stop()


@pytest.fixture(scope="module")
def notifier_worker(smtp_server: Any) -> Iterator[None]:
    """A real worker draining the notifier's queue while the module runs. It emails, so the
    session's SMTP server (where TALLY_SMTP_URL points) runs too."""
    yield from _worker_for(notifier_api.QUEUE)


async def drain(queue: str) -> None:
    """Wait until the workers have handled every message queued on `queue`."""
    await asyncio.to_thread(broker.join, queue, timeout=60_000)


@pytest.fixture(scope="module")
def ledger_worker() -> Iterator[None]:
    """A real worker draining the ledger's queue (file imports) while the module runs."""
    yield from _worker_for(ledger_api.QUEUE)
