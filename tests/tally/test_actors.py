"""The composition root wires the services: queues from their apis, subscriptions registered."""

from __future__ import annotations

from services.ledger import api as ledger_api
from services.notifier import api as notifier_api
from services.sync import api as sync_api
from shared import events
from shared.messaging import broker
from tally.actors import SERVICE_QUEUES, load_actors


def test_workers_drain_the_queues_the_services_name() -> None:
    assert SERVICE_QUEUES == {
        "ledger": ledger_api.QUEUE,
        "sync": sync_api.QUEUE,
        "notifier": notifier_api.QUEUE,
    }


def test_loading_the_actors_subscribes_the_notifier_to_the_ledgers_changes() -> None:
    load_actors()
    load_actors()  # idempotent: each subscription once
    [subscription] = [
        s
        for s in events.subscriptions(ledger_api.TRANSACTIONS_CHANGED)
        if s.queue == notifier_api.QUEUE
    ]
    assert subscription in notifier_api.SUBSCRIPTIONS
    actor = broker.get_actor(subscription.actor_name)
    assert actor.queue_name == notifier_api.QUEUE
