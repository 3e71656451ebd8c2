"""Live events for subscriptions: Redis pub/sub when distributed; embedded, delivered in this
process and sent to the other processes of the machine (shared.live_peers: `tally serve` runs
several).

Publishers may run on any thread or process (a notifier worker); subscribers are websocket
handlers on the gateway's event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import aclosing
from typing import Any

import redis
import redis.asyncio as aioredis

from shared.config import get_settings
from shared.live_peers import LivePeers, peers_directory

_local_lock = threading.Lock()
_local_subscribers: defaultdict[
    str, set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[dict[str, Any]]]]
] = defaultdict(set)


def _channel(topic: str) -> str:
    return f"tally:live:{topic}"


def session_ended_topic(session_id: uuid.UUID) -> str:
    """Where identity announces that a session ended (log-out, revocation): live streams opened
    under it stop."""
    return f"session-ended:{session_id.hex}"


def publish(topic: str, payload: dict[str, Any]) -> None:
    """Deliver to every live subscriber of `topic`, wherever it runs."""
    url = get_settings().redis_url
    if url:
        with redis.Redis.from_url(url) as client:
            client.publish(_channel(topic), json.dumps(payload))
        return
    _deliver_here(topic, payload)
    _peers().send(topic, payload)


def _deliver_here(topic: str, payload: dict[str, Any]) -> None:
    with _local_lock:
        targets = list(_local_subscribers.get(topic, ()))
    for loop, queue in targets:
        with contextlib.suppress(RuntimeError):  # its loop closed meanwhile
            loop.call_soon_threadsafe(queue.put_nowait, payload)


_peers_lock = threading.Lock()
_peers_made: list[LivePeers] = []


def _peers() -> LivePeers:
    """This process among the others of the machine: one per process, whichever thread asks
    first."""
    with _peers_lock:
        if not _peers_made:
            _peers_made.append(LivePeers(peers_directory(get_settings().var_dir), _deliver_here))
        return _peers_made[0]


async def subscribe(topic: str) -> AsyncIterator[dict[str, Any]]:
    url = get_settings().redis_url
    if url:
        async for item in _subscribe_redis(url, topic):
            yield item
        return
    _peers().listen()
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    entry = (asyncio.get_running_loop(), queue)
    with _local_lock:
        _local_subscribers[topic].add(entry)
    try:
        while True:
            yield await queue.get()
    finally:
        with _local_lock:
            _local_subscribers[topic].discard(entry)


async def subscribe_until(topic: str, stop_topic: str) -> AsyncIterator[dict[str, Any]]:
    """The events of `topic` until anything arrives on `stop_topic`."""
    events = subscribe(topic)
    stops = subscribe(stop_topic)
    async with aclosing(events), aclosing(stops):  # type: ignore[type-var]
        stopped = asyncio.ensure_future(anext(stops))
        following: asyncio.Future[dict[str, Any]] | None = None
        try:
            while True:
                following = asyncio.ensure_future(anext(events))
                done, _ = await asyncio.wait(
                    {following, stopped}, return_when=asyncio.FIRST_COMPLETED
                )
                if stopped in done:
                    return
                yield following.result()
                following = None
        finally:
            # Both generators must be at rest before they are closed.
            for pending in (following, stopped):
                if pending is not None and not pending.done():
                    pending.cancel()
                    with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
                        await pending


async def _subscribe_redis(url: str, topic: str) -> AsyncIterator[dict[str, Any]]:
    client = aioredis.Redis.from_url(url)
    pubsub = client.pubsub()
    await pubsub.subscribe(_channel(topic))
    try:
        async for raw in pubsub.listen():
            if raw.get("type") == "message":
                yield json.loads(raw["data"])
    finally:
        await pubsub.unsubscribe()
        await pubsub.aclose()  # type: ignore[no-untyped-call]
        await client.aclose()
