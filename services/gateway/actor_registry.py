"""Every actor must be declared in a process that sends or runs its messages."""

from __future__ import annotations

import importlib

ACTOR_MODULES = ("services.sync.actors", "services.notifier.actors")


def import_all_actors() -> None:
    for name in ACTOR_MODULES:
        importlib.import_module(name)
