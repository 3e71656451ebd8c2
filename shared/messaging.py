"""The job broker, chosen by config, and the one way to declare actors and send messages.

Embedded (no TALLY_REDIS_URL): an in-process StubBroker drained by worker threads inside the
server. Distributed: Redis, drained by `tally worker <service>` processes. Actors are async
and run on Dramatiq's own event loop thread (AsyncIO middleware).
"""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, ParamSpec, TypeVar

import dramatiq
from dramatiq import Message
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import AsyncIO, Retries

from shared import outbox
from shared.config import Settings, get_settings
from shared.db import UnitOfWork, unit_of_work

P = ParamSpec("P")
R = TypeVar("R")


# A worker that stops sending heartbeats for this long is dead, and the messages it held go back
# to their queue at the next maintenance (Dramatiq's default, 60 s, plus maintenance left to
# chance, delayed alerts by over two minutes after a worker was killed). Idle consumers poll
# every 5 s at most, so a live worker's heartbeat is never this old.
HEARTBEAT_TIMEOUT_MS = 20_000


class TallyRedisBroker(RedisBroker):
    """Dramatiq's Redis broker, with maintenance that can be asked for instead of hoped for."""

    _forced = threading.local()

    def _should_do_maintenance(self, command: str) -> int:
        if getattr(self._forced, "on", False):
            return 1
        return int(super()._should_do_maintenance(command))

    def requeue_abandoned(self, queue_names: Iterable[str] | None = None) -> None:
        """Give the messages of dead workers back to their queues (every declared queue unless
        named), now: the relay calls this every few seconds."""
        if queue_names is None:
            queue_names = self.get_declared_queues() | self.get_declared_delay_queues()
        self._forced.on = True
        try:
            for queue_name in sorted(queue_names):
                self.do_qsize(queue_name)  # any command carries the maintenance flag
        finally:
            self._forced.on = False


def requeue_abandoned() -> None:
    """With Redis: put back what dead workers held. The in-memory broker has no other workers."""
    if isinstance(broker, TallyRedisBroker):
        broker.requeue_abandoned()


def build_broker(settings: Settings) -> dramatiq.Broker:
    broker: dramatiq.Broker
    if settings.redis_url:
        broker = TallyRedisBroker(  # type: ignore[no-untyped-call]
            url=settings.redis_url, namespace="tally", heartbeat_timeout=HEARTBEAT_TIMEOUT_MS
        )
    else:
        broker = StubBroker()
        # Its queue lives in memory: outbox rows stay until their actor is done.
        # (Before Retries, so that its after-hooks see what Retries decided: they run reversed.)
        broker.add_middleware(outbox.OutboxAcks(), before=Retries)
    broker.add_middleware(AsyncIO())
    return broker


broker = build_broker(get_settings())
dramatiq.set_broker(broker)


def actor(
    queue: str,
    *,
    max_retries: int = 8,
    min_backoff_ms: int = 1_000,
    max_backoff_ms: int = 10 * 60_000,
    time_limit_ms: int = 5 * 60_000,
    throws: tuple[type[BaseException], ...] = (),
) -> Callable[[Callable[P, Awaitable[None]]], dramatiq.Actor[P, None]]:
    """Declare an idempotent async actor on a service queue with an explicit retry policy.

    Dramatiq's defaults (20 retries over days, 10 minutes) are wrong for us; in tests retries
    are short so `join()` returns quickly.
    """
    if get_settings().env == "test":
        max_retries, min_backoff_ms, max_backoff_ms = min(max_retries, 3), 50, 500

    def declare(fn: Callable[P, Awaitable[None]]) -> dramatiq.Actor[P, None]:
        return dramatiq.actor(  # type: ignore[no-any-return,call-overload]
            fn,
            actor_name=fn.__name__,
            queue_name=queue,
            max_retries=max_retries,
            min_backoff=min_backoff_ms,
            max_backoff=max_backoff_ms,
            time_limit=time_limit_ms,
            throws=throws,
        )

    return declare


def message(queue: str, actor_name: str, **kwargs: Any) -> Message[Any]:
    """A message for an actor known only by name (how a service talks to one it may not import)."""
    return Message(queue_name=queue, actor_name=actor_name, args=(), kwargs=kwargs, options={})


def send_after_commit(work: UnitOfWork, msg: Message[Any]) -> None:
    """Send `msg` as part of `work`: stored in its transaction (the outbox), handed to the
    broker once it commits, and never sent if it rolls back. A broker that is down delays the
    message; it does not fail the write."""
    outbox.store(work, msg)


async def send_now(msg: Message[Any]) -> None:
    """Send for a caller holding no transaction (e.g. a webhook): through the outbox too, so a
    broker that is down delays the message instead of losing it."""
    async with unit_of_work() as work:
        send_after_commit(work, msg)


def start_worker(
    queues: Iterable[str] | None = None, threads: int | None = None
) -> dramatiq.Worker:
    worker = dramatiq.Worker(
        broker,
        queues=set(queues) if queues is not None else None,
        worker_threads=threads or get_settings().worker_threads,
        worker_timeout=100,
    )
    worker.start()
    return worker


def run_sync(fn: Callable[P, R]) -> Callable[P, Awaitable[R]]:
    """Run a blocking function (e.g. plaid-python) in a thread, off the event loop."""

    @functools.wraps(fn)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        return await asyncio.to_thread(fn, *args, **kwargs)

    return wrapper
