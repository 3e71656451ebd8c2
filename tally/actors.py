"""Which services run actors, the queues those actors consume, and how events reach them.

Every actor must be declared in a process that sends or runs its messages, so every process
loads them all. `tally worker <service>` drains the queue that service consumes.
"""

from __future__ import annotations

import importlib

# service -> (its actors' module, the queue they consume)
SERVICE_QUEUES = {"sync": "sync", "notifier": "notifier"}
ACTOR_MODULES = ("services.sync.actors", "services.notifier.actors")


def load_actors() -> None:
    for name in ACTOR_MODULES:
        importlib.import_module(name)
