"""Live delivery: the user's open subscription receives each new notification, and only theirs."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncGenerator, AsyncIterator
from datetime import UTC, datetime
from typing import Any

import redis.asyncio as aioredis

from services.notifier.inbox.service import NotificationView, live_topic
from shared import pubsub
from shared.config import get_settings
from shared.graphql import Context
from tests.notifier.factories import (
    Person,
    category_id,
    drain_notifier_queue,
    notifications,
    open_account,
    set_budget,
    sign_up,
    spend,
)
from tests.support.graphql import error_codes, schema

MONTH = "2026-11"
SUBSCRIBE = "subscription { notifications { id kind title body createdAt readAt } }"


async def _subscriber_count(topic: str) -> int:
    url = get_settings().redis_url
    if url is None:
        return len(pubsub._local_subscribers.get(topic, ()))
    client = aioredis.Redis.from_url(url)
    try:
        [(_, count)] = await client.pubsub_numsub(pubsub._channel(topic))
        return int(count)
    finally:
        await client.aclose()


@contextlib.asynccontextmanager
async def subscribed(person: Person | None, topic: str | None = None) -> AsyncIterator[Any]:
    """The user's live notifications subscription, listening before the block starts."""
    context = Context(request=None, request_id="test", user_id=person.id if person else None)
    stream = await schema().subscribe(SUBSCRIBE, context_value=context)
    assert isinstance(stream, AsyncGenerator), stream
    first = asyncio.ensure_future(anext(stream))
    if topic is not None:
        async with asyncio.timeout(10):
            while await _subscriber_count(topic) == 0 and not first.done():
                await asyncio.sleep(0.01)
    try:
        yield first
    finally:
        first.cancel()
        with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
            await first
        await stream.aclose()


async def test_the_live_subscription_receives_the_notification(notifier_worker: None) -> None:
    person = await sign_up()
    groceries = await category_id(person, "Groceries")
    account = await open_account(person)
    await set_budget(person, groceries, MONTH, "50.00")

    async with subscribed(person, live_topic(person.id)) as next_event:
        await spend(person, account, "-60.00", category=groceries)
        await drain_notifier_queue()
        event = await asyncio.wait_for(next_event, timeout=10)

    assert not event.errors, event.errors
    live = event.data["notifications"]
    [stored] = await notifications(person)
    assert live == stored
    assert live["title"] == "Groceries budget overspent"


async def test_live_notifications_reach_only_their_user() -> None:
    person = await sign_up(ledger=False)
    stranger = await sign_up(ledger=False)
    notification = NotificationView(
        id=uuid.uuid4(),
        kind="LARGE_TRANSACTION",
        title="Large transaction: $9.00",
        body="Body.",
        created_at=datetime(2026, 11, 2, tzinfo=UTC),
        read_at=None,
    )

    async with (
        subscribed(stranger, live_topic(stranger.id)) as strangers_next,
        subscribed(person, live_topic(person.id)) as next_event,
    ):
        await asyncio.to_thread(pubsub.publish, live_topic(person.id), notification.payload())
        event = await asyncio.wait_for(next_event, timeout=10)
        await asyncio.sleep(0.2)
        assert not strangers_next.done()

    assert event.data["notifications"]["title"] == "Large transaction: $9.00"
    assert event.data["notifications"]["createdAt"] == "2026-11-02T00:00:00+00:00"
    async with asyncio.timeout(5):  # a closed subscription stops listening
        while await _subscriber_count(live_topic(person.id)) > 0:
            await asyncio.sleep(0.01)


async def test_the_live_subscription_needs_a_signed_in_user() -> None:
    async with subscribed(None) as next_event:
        event = await asyncio.wait_for(next_event, timeout=10)

    assert error_codes(event) == ["UNAUTHENTICATED"]
