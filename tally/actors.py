"""Which services run actors, the queues those actors consume, and how events reach them.

Every actor must be declared in a process that sends or runs its messages, so every process
loads them all. `tally worker <service>` drains the queue that service consumes; the queue
names come from each service's `api.QUEUE`.
"""

from __future__ import annotations

import importlib

from services.sync import api as sync_api

# service -> the queue its actors consume
SERVICE_QUEUES = {"sync": sync_api.QUEUE, "notifier": "notifier"}
ACTOR_MODULES = ("services.sync.actors", "services.notifier.actors")


def load_actors() -> None:
    for name in ACTOR_MODULES:
        importlib.import_module(name)
