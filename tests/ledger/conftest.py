"""Fixtures of the ledger's tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import dramatiq
import pytest

from services.ledger.api import TRANSACTIONS_CHANGED
from shared import events
from shared.messaging import broker

# A listener of the tests' own: the ledger's announcements are observed without knowing who
# else listens to them.
RECORDER = events.Subscription(TRANSACTIONS_CHANGED, "ledger-tests", "record_announcement")


@pytest.fixture
def announcements(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """The payload of every "transactions changed" announcement sent during the test."""
    seen: list[dict[str, Any]] = []
    enqueue = broker.enqueue

    def recording_enqueue(message: dramatiq.Message[Any], **options: Any) -> Any:
        if message.queue_name == RECORDER.queue:
            assert message.actor_name == RECORDER.actor_name
            seen.append(dict(message.kwargs))
            return message
        return enqueue(message, **options)

    monkeypatch.setattr(broker, "enqueue", recording_enqueue)
    broker.declare_queue(RECORDER.queue)  # so that a relay can hand over what is left
    events.subscribe(RECORDER)
    yield seen
    events.unsubscribe(RECORDER)
