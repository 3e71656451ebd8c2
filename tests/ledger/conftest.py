"""Fixtures of the ledger's tests."""

from __future__ import annotations

from typing import Any

import dramatiq
import pytest

from services.ledger.api import TRANSACTIONS_CHANGED_ACTOR, TRANSACTIONS_CHANGED_QUEUE
from shared.messaging import broker


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
