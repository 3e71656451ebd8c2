"""Which services run actors, the queues those actors consume, and how events reach them.

Every actor must be declared in a process that sends or runs its messages, and every event's
subscribers registered in a process that announces it, so every process calls `load_actors`.
`tally worker <service>` drains the queue that service consumes. Queue names and
subscriptions come from each service's `api` (its `QUEUE`, its `SUBSCRIPTIONS`).
"""

from __future__ import annotations

import importlib
from types import ModuleType

from services.ledger import api as ledger_api
from services.notifier import api as notifier_api
from services.sync import api as sync_api
from shared import events

# The services that consume a queue: their api module and their actors' module.
_CONSUMERS: dict[str, tuple[ModuleType, str]] = {
    "ledger": (ledger_api, "services.ledger.actors"),
    "sync": (sync_api, "services.sync.actors"),
    "notifier": (notifier_api, "services.notifier.actors"),
}

SERVICE_QUEUES: dict[str, str] = {name: api.QUEUE for name, (api, _) in _CONSUMERS.items()}


def load_actors() -> None:
    """Declare every actor and register every subscription (idempotent)."""
    for api, actors_module in _CONSUMERS.values():
        importlib.import_module(actors_module)
        for subscription in getattr(api, "SUBSCRIPTIONS", ()):
            events.subscribe(subscription)
    # The notifier may not import the sync service: its subscription to the sync service's
    # announcement is wired here, where both are known.
    events.subscribe(
        notifier_api.bank_connection_subscription(sync_api.BANK_CONNECTION_NEEDS_ATTENTION)
    )
