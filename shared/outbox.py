"""The transactional outbox: a message is a row written in the same transaction as the change
it announces, and it stays until the broker has taken it.

Enqueueing after commit lost the message whenever the broker was down or the process died
between commit and enqueue, and reported a committed write as failed. Now:

- `store` adds the row to the unit of work; it commits or rolls back with the change.
- Right after commit the unit of work hands its own messages to the broker (the fast path,
  so delivery stays prompt) and deletes their rows. If the broker refuses, nothing is raised:
  the write is committed and its messages are safe.
- `relay_once` (run in a loop by `tally serve` and by `tally relay`) delivers every row its
  fast path did not: broker down, process killed. It retries with backoff until the broker
  takes the message. Rows are claimed with SKIP LOCKED on PostgreSQL, so relays may run side
  by side.

Delivery is at least once (a crash after enqueue and before the delete sends again), so every
actor is idempotent. The in-process broker of the embedded configuration keeps its queue in
memory: there a row is kept until its actor has finished with the message (`OutboxAcks`), and
`release_in_flight` hands the rows of a previous run back to the relay when the jobs start.
`tally serve` drains that queue in one jobs process beside its web processes: the web
processes `hand_over_to_relay`, leaving every message they store due at once for the jobs
process's relay, which alone enqueues them, holds them in flight, and releases them at start.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

import dramatiq
from dramatiq import Message
from dramatiq.asyncio import get_event_loop_thread
from dramatiq.broker import MessageProxy
from dramatiq.brokers.stub import StubBroker
from sqlalchemy import Integer, String, Text, Uuid, delete, func, or_, select, update
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.clock import UTCDateTime, utcnow
from shared.db import UnitOfWork, read_session, service_metadata, unit_of_work
from shared.logging import get_logger
from shared.sql import chunked

log = get_logger(__name__)

metadata = service_metadata()

# Fresh rows belong to the fast path of the unit of work that wrote them; the relay waits this
# long before it takes over (a crash, or a broker that refused).
FAST_PATH_GRACE = dt.timedelta(seconds=5)
# In the embedded configuration an enqueued message lives only in memory until its actor is
# done: its row is kept, out of the relay's way for this long (a restart releases it at once).
IN_FLIGHT_LEASE = dt.timedelta(minutes=15)
MAX_BACKOFF = dt.timedelta(minutes=2)
RELAY_BATCH = 200
# After this many refusals in a row the broker is taken to be down, and the pass ends.
REFUSALS_BEFORE_PAUSE = 3


class _Delivery:
    """How this process delivers the messages it stores (see hand_over_to_relay)."""

    hand_over = False


def hand_over_to_relay() -> None:
    """From now on this process enqueues nothing itself: every message it stores is due at once
    for the relay of another process (the web processes of `tally serve`, whose in-memory
    queue nothing would drain)."""
    _Delivery.hand_over = True


class Base(DeclarativeBase):
    metadata = metadata


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    queue: Mapped[str] = mapped_column(String(100))
    actor_name: Mapped[str] = mapped_column(String(100))
    # The actor's keyword arguments as JSON (ids and plain values only).
    kwargs: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # When the relay may (next) take it.
    available_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))


def _broker() -> dramatiq.Broker:
    from shared.messaging import broker  # the configured one (messaging imports this module)

    return broker


def _holds_in_memory(broker: dramatiq.Broker) -> bool:
    return isinstance(broker, StubBroker)


def _message(
    row_id: uuid.UUID, queue: str, actor_name: str, kwargs: dict[str, Any]
) -> Message[Any]:
    # The row's id is the message's: a redelivery is recognisable as the same message.
    return Message(
        queue_name=queue,
        actor_name=actor_name,
        args=(),
        kwargs=kwargs,
        options={},
        message_id=str(row_id),
    )


def store(work: UnitOfWork, message: Message[Any]) -> uuid.UUID:
    """Write `message` into `work`'s transaction; after commit, try to deliver it at once."""
    now = utcnow()
    row_id = uuid.uuid4()
    kwargs = dict(message.kwargs)
    work.session.add(
        OutboxMessage(
            id=row_id,
            queue=message.queue_name,
            actor_name=message.actor_name,
            kwargs=json.dumps(kwargs),
            created_at=now,
            available_at=now if _Delivery.hand_over else now + FAST_PATH_GRACE,
            attempts=0,
        )
    )
    if _Delivery.hand_over:
        return row_id
    pending = work.state.setdefault("outbox", [])
    if not pending:
        work.after_commit(lambda: _fast_path(pending))
    pending.append(_message(row_id, message.queue_name, message.actor_name, kwargs))
    return row_id


async def _fast_path(messages: Sequence[Message[Any]]) -> None:
    """Hand a committed unit of work's messages to the broker; never raises."""
    try:
        delivered = await asyncio.to_thread(_enqueue_all, messages)
        if delivered:
            await _settle(delivered)
    except Exception:
        log.warning("outbox.fast_path_failed", exc_info=True)


def _enqueue_all(messages: Sequence[Message[Any]]) -> list[uuid.UUID]:
    broker = _broker()
    delivered = []
    for message in messages:
        try:
            broker.enqueue(message)
        except Exception as error:  # noqa: BLE001 - whatever the broker's failure, retry later
            # The relay retries it (and the rest) once the grace period is over.
            log.warning(
                "outbox.broker_refused", message_id=message.message_id, error=repr(error)[:200]
            )
            break
        delivered.append(uuid.UUID(message.message_id))
    return delivered


async def _settle(delivered: Sequence[uuid.UUID]) -> None:
    """Delivered rows are done, or (in-memory broker) in flight until their actor finishes."""
    async with unit_of_work() as work:
        if _holds_in_memory(_broker()):
            await work.session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(delivered))
                .values(available_at=utcnow() + IN_FLIGHT_LEASE)
                .execution_options(synchronize_session=False)
            )
        else:
            await work.session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(delivered)))


def _backoff(attempts: int) -> dt.timedelta:
    return min(MAX_BACKOFF, dt.timedelta(seconds=2 ** min(attempts, 10)))


async def any_due() -> bool:
    """Whether a message waits for the relay now: a read that takes no write lock, so a relay
    may ask often (SQLite has one writer at a time)."""
    async with read_session() as session:
        found = await session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.available_at <= utcnow()).limit(1)
        )
    return found is not None


async def relay_once(limit: int = RELAY_BATCH) -> int:
    """Deliver the due rows (oldest first); how many the broker took."""
    now = utcnow()
    broker = _broker()
    in_memory = _holds_in_memory(broker)
    delivered = refusals = 0
    async with unit_of_work() as work:
        rows = await work.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.available_at <= now)
            .order_by(OutboxMessage.created_at, OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        for row in rows:
            message = _message(row.id, row.queue, row.actor_name, json.loads(row.kwargs))
            try:
                await asyncio.to_thread(broker.enqueue, message)
            except Exception as error:  # noqa: BLE001 - whatever the broker's failure, retry
                row.attempts += 1
                row.available_at = now + _backoff(row.attempts)
                row.last_error = repr(error)[:500]
                log.warning("outbox.relay_refused", message_id=str(row.id), attempts=row.attempts)
                # One refused message (say, for a queue this broker lacks) must not hold up
                # the others; several in a row mean the broker is down.
                refusals += 1
                if refusals >= REFUSALS_BEFORE_PAUSE:
                    break
                continue
            refusals = 0
            delivered += 1
            if in_memory:
                row.available_at = now + IN_FLIGHT_LEASE
            else:
                await work.session.delete(row)
    if delivered:
        log.info("outbox.relayed", messages=delivered)
    return delivered


async def release_in_flight() -> int:
    """At the start of an embedded server: the in-memory queue of the last run is gone, so every
    row it held in flight is due again. How many. (With Redis nothing is held in flight: the
    broker keeps what it took, so this does nothing.)"""
    if not _holds_in_memory(_broker()):
        return 0
    async with unit_of_work() as work:
        result = await work.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.available_at > utcnow())
            .values(available_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    return int(result.rowcount)  # type: ignore[attr-defined]


# How many ids one statement of `forget_messages_about` looks for.
FORGET_CHUNK = 100


async def forget_messages_about(work: UnitOfWork, ids: Iterable[uuid.UUID]) -> int:
    """Delete, in `work`, the waiting messages whose arguments name any of `ids` (rows being
    deleted in the same transaction, e.g. a deleted user's); how many went.

    A message the broker already holds still arrives: its actor must find nothing to do.
    """
    # Arguments are JSON: an id inside quotes is a whole value, never part of another.
    quoted = sorted({f'"{value}"' for value in ids})
    forgotten = 0
    for chunk in chunked(quoted, FORGET_CHUNK):
        result = await work.session.execute(
            delete(OutboxMessage)
            .where(or_(*(OutboxMessage.kwargs.contains(text) for text in chunk)))
            .execution_options(synchronize_session=False)
        )
        forgotten += int(result.rowcount)  # type: ignore[attr-defined]
    return forgotten


async def pending_count() -> int:
    """How many messages wait in the outbox (in flight included)."""
    async with unit_of_work() as work:
        return int(await work.session.scalar(select(func.count()).select_from(OutboxMessage)) or 0)


async def _delete_row(row_id: uuid.UUID) -> None:
    async with unit_of_work() as work:
        await work.session.execute(delete(OutboxMessage).where(OutboxMessage.id == row_id))


class OutboxAcks(dramatiq.Middleware):
    """With the in-memory broker: a message's row goes once its actor is done with it (done, or
    failed for good); until then a restart can deliver it again."""

    def after_process_message(
        self,
        broker: dramatiq.Broker,
        message: MessageProxy,
        *,
        result: Any = None,
        exception: BaseException | None = None,
    ) -> None:
        if exception is not None and not message.failed:
            return  # a retry is on its way with the same id: keep the row
        self._forget(message)

    def after_skip_message(self, broker: dramatiq.Broker, message: MessageProxy) -> None:
        self._forget(message)

    def _forget(self, message: MessageProxy) -> None:
        try:
            row_id = uuid.UUID(message.message_id)
        except ValueError:
            return
        loop_thread = get_event_loop_thread()
        if loop_thread is None:
            return
        try:
            loop_thread.run_coroutine(_delete_row(row_id))
        except Exception:
            log.warning("outbox.ack_failed", message_id=message.message_id, exc_info=True)
