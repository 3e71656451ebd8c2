"""End to end through the broker: the ledger announces, a real worker evaluates, and the user
is told — in the app, live over the subscription, and once by email (a real SMTP server).
"""

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
    create_rule,
    drain_notifier_queue,
    mail_to,
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


async def test_overspending_a_budget_sends_one_alert_and_one_email(
    notifier_worker: None, smtp_server: Any
) -> None:
    person = await sign_up()
    groceries = await category_id(person, "Groceries")
    account = await open_account(person)
    await set_budget(person, groceries, MONTH, "500.00")
    await spend(person, account, "-300.00", category=groceries)
    await drain_notifier_queue()
    assert await notifications(person) == []

    await spend(person, account, "-223.10", category=groceries, day="2026-11-20")
    await drain_notifier_queue()
    await spend(person, account, "-12.00", category=groceries, day="2026-11-21")
    await drain_notifier_queue()

    [alert] = await notifications(person)
    assert alert["title"] == "Groceries budget overspent"
    assert alert["body"].startswith(
        "You've spent $523.10 of your $500.00 Groceries budget for November 2026."
    )
    [mail] = mail_to(smtp_server, person.email)
    assert mail["Subject"] == "Groceries budget overspent"
    assert alert["body"] in mail.get_body(preferencelist=("plain",)).get_content()


async def test_a_large_transaction_is_alerted_and_emailed_once_per_transaction(
    notifier_worker: None, smtp_server: Any
) -> None:
    person = await sign_up()
    account = await open_account(person)
    await create_rule(person, kind="LARGE_TRANSACTION", threshold="750")

    await spend(person, account, "-800.00", description="Flight to Lisbon")
    await spend(person, account, "-749.99", description="Hotel")
    await spend(person, account, "-1200.00", description="Laptop")
    await drain_notifier_queue()

    titles = sorted(n["title"] for n in await notifications(person))
    assert titles == ["Large transaction: $1,200.00", "Large transaction: $800.00"]
    assert sorted(m["Subject"] for m in mail_to(smtp_server, person.email)) == titles


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
