"""Fixtures of the ledger's tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import dramatiq
import pytest
from dramatiq.asyncio import get_event_loop_thread

from services.ledger.api import TRANSACTIONS_CHANGED_ACTOR, TRANSACTIONS_CHANGED_QUEUE
from shared.messaging import broker, start_worker


@pytest.fixture(autouse=True)
def notifier_queue() -> None:
    """The ledger announces changes on the notifier's queue, which exists only once the
    notifier's actors are imported; declare it so announcements can be enqueued regardless."""
    broker.declare_queue(TRANSACTIONS_CHANGED_QUEUE)


@pytest.fixture
def announcements(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The kwargs of every "transactions changed" message enqueued during the test."""
    seen: list[dict[str, Any]] = []
    enqueue = broker.enqueue

    def recording_enqueue(message: dramatiq.Message[Any], **options: Any) -> Any:
        if message.actor_name == TRANSACTIONS_CHANGED_ACTOR:
            assert message.queue_name == TRANSACTIONS_CHANGED_QUEUE
            seen.append(dict(message.kwargs))
        return enqueue(message, **options)

    monkeypatch.setattr(broker, "enqueue", recording_enqueue)
    return seen


@pytest.fixture(scope="module")
def ledger_worker() -> Iterator[None]:
    """A real Dramatiq worker draining the ledger queue while the module runs.

    Dramatiq keeps ONE global event-loop thread for async actors: if a worker already runs in
    this process (the live server's, draining every queue), that one is used instead.
    """
    import services.ledger.actors  # noqa: F401  (declares the actor and the queue)

    worker: dramatiq.Worker | None = None
    if get_event_loop_thread() is None:
        worker = start_worker(queues=["ledger"], threads=1)
    yield
    if worker is not None:
        worker.stop()
