"""An event reaches every subscriber once its unit of work commits, and none if it rolls back."""

from __future__ import annotations

from typing import Any

import dramatiq
import pytest

from shared import events
from shared.db import unit_of_work
from shared.messaging import broker

EVENT = "tests.something_changed"
FIRST = events.Subscription(EVENT, "tests-first", "on_something_changed")
SECOND = events.Subscription(EVENT, "tests-second", "note_the_change")


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, dict[str, Any]]]:
    seen: list[tuple[str, str, dict[str, Any]]] = []

    def record(message: dramatiq.Message[Any], **_: Any) -> dramatiq.Message[Any]:
        seen.append((message.queue_name, message.actor_name, dict(message.kwargs)))
        return message

    monkeypatch.setattr(broker, "enqueue", record)
    return seen


async def test_every_subscriber_gets_the_payload_after_commit(
    sent: list[tuple[str, str, dict[str, Any]]],
) -> None:
    events.subscribe(FIRST)
    events.subscribe(SECOND)
    events.subscribe(FIRST)  # registering twice changes nothing

    async with unit_of_work() as work:
        events.announce(work, EVENT, user_id="u1", months=["2026-11"])
        assert sent == []  # nothing leaves before the commit

    assert sent == [
        ("tests-first", "on_something_changed", {"user_id": "u1", "months": ["2026-11"]}),
        ("tests-second", "note_the_change", {"user_id": "u1", "months": ["2026-11"]}),
    ]


async def test_a_rolled_back_change_announces_nothing(
    sent: list[tuple[str, str, dict[str, Any]]],
) -> None:
    events.subscribe(FIRST)
    with pytest.raises(RuntimeError):
        async with unit_of_work() as work:
            events.announce(work, EVENT, user_id="u1")
            raise RuntimeError("the change failed")
    assert sent == []
