"""Events: a service says what changed without knowing who listens.

The publisher owns an event's name and payload (the ledger's `ledger.transactions_changed`,
say) and announces it inside the unit of work that made the change. A consumer owns how it
listens: its `api.py` lists `Subscription`s naming the event, its own queue and its own actor.
The composition root registers every consumer's subscriptions at start, so the publisher
never names a consumer's queue or actor, and dependencies keep pointing toward the ledger.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from shared.db import UnitOfWork
from shared.logging import get_logger
from shared.messaging import message, send_after_commit

log = get_logger(__name__)


@dataclass(frozen=True)
class Subscription:
    """The consumer's actor `actor_name`, on its queue `queue`, receives every `event`."""

    event: str
    queue: str
    actor_name: str


_lock = threading.Lock()
_subscriptions: defaultdict[str, list[Subscription]] = defaultdict(list)


def subscribe(subscription: Subscription) -> None:
    """Register a consumer (idempotent)."""
    with _lock:
        listeners = _subscriptions[subscription.event]
        if subscription not in listeners:
            listeners.append(subscription)


def unsubscribe(subscription: Subscription) -> None:
    with _lock:
        listeners = _subscriptions.get(subscription.event, [])
        if subscription in listeners:
            listeners.remove(subscription)


def subscriptions(event: str) -> list[Subscription]:
    with _lock:
        return list(_subscriptions.get(event, ()))


def announce(work: UnitOfWork, event: str, **payload: Any) -> None:
    """Send `payload` to every subscriber of `event` once `work` commits (dropped on rollback).

    The payload is what goes on the wire: ids and plain values, never ORM objects.
    """
    listeners = subscriptions(event)
    if not listeners:
        log.warning("event_without_subscribers", announced=event)
    for listener in listeners:
        send_after_commit(work, message(listener.queue, listener.actor_name, **payload))
