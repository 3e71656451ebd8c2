"""A worker killed while it held messages: they go back to their queue within seconds, not
minutes (Dramatiq's defaults left it to a 60 s heartbeat and maintenance by chance)."""

from __future__ import annotations

import os
import time
import uuid
from typing import Any

import pytest
from dramatiq import Message

from shared.messaging import HEARTBEAT_TIMEOUT_MS, TallyRedisBroker, broker

pytestmark = pytest.mark.skipif(
    not os.environ.get("TALLY_REDIS_URL"), reason="only Redis has workers in other processes"
)


def test_what_a_dead_worker_held_is_back_on_its_queue_at_the_next_maintenance() -> None:
    assert isinstance(broker, TallyRedisBroker)
    client: Any = broker.client
    # A queue no worker of this run consumes (a declared one would be drained at once).
    queue = f"crash-{uuid.uuid4().hex[:8]}"
    message = Message(queue_name=queue, actor_name="sync_item", args=(), kwargs={}, options={})
    redis_id = str(uuid.uuid4())
    broker.do_enqueue(queue, redis_id, message.encode())
    # A worker took it, then was SIGKILLed: the id sits in its acks, and its heartbeat stopped.
    dead_worker = f"dead-{uuid.uuid4().hex[:8]}"
    client.lrem(f"tally:{queue}", 0, redis_id)
    client.sadd(f"tally:__acks__.{dead_worker}.{queue}", redis_id)
    stopped_at = int(time.time() * 1000) - HEARTBEAT_TIMEOUT_MS - 1_000
    client.zadd("tally:__heartbeats__", {dead_worker: stopped_at})
    assert client.llen(f"tally:{queue}") == 0

    broker.requeue_abandoned([queue])

    assert [item.decode() for item in client.lrange(f"tally:{queue}", 0, -1)] == [redis_id]
    assert client.zscore("tally:__heartbeats__", dead_worker) is None  # forgotten
    client.delete(f"tally:{queue}", f"tally:{queue}.msgs")


def test_a_worker_that_still_beats_keeps_its_messages() -> None:
    assert isinstance(broker, TallyRedisBroker)
    client: Any = broker.client
    queue = f"busy-{uuid.uuid4().hex[:8]}"
    redis_id = str(uuid.uuid4())
    message = Message(queue_name=queue, actor_name="sync_item", args=(), kwargs={}, options={})
    broker.do_enqueue(queue, redis_id, message.encode())
    busy_worker = f"busy-{uuid.uuid4().hex[:8]}"
    client.lrem(f"tally:{queue}", 0, redis_id)
    client.sadd(f"tally:__acks__.{busy_worker}.{queue}", redis_id)
    client.zadd("tally:__heartbeats__", {busy_worker: int(time.time() * 1000) - 5_000})

    broker.requeue_abandoned([queue])

    assert client.llen(f"tally:{queue}") == 0  # still its to finish
    client.delete(f"tally:{queue}", f"tally:{queue}.msgs", f"tally:__acks__.{busy_worker}.{queue}")
    client.zrem("tally:__heartbeats__", busy_worker)
