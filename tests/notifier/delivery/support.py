"""Raising notifications as evaluation does (rows and deliveries in one transaction), at a
frozen moment, and reading what became of them."""

from __future__ import annotations

import asyncio
import inspect
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, cast

import pytest
from sqlalchemy import select

from services.notifier import actors
from services.notifier import api as notifier_api
from services.notifier.delivery import service
from services.notifier.evaluation import repository
from services.notifier.inbox.service import NotificationView
from services.notifier.models import AlertRule, Delivery
from shared import clock
from shared.db import read_session, unit_of_work
from tests.notifier.factories import Person
from tests.support.graphql import data

deliver = cast(Callable[[str], Awaitable[None]], inspect.unwrap(actors.deliver_notification.fn))
send_digest = cast(Callable[[str, str], Awaitable[None]], inspect.unwrap(actors.send_digest.fn))


def freeze(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr(clock, "utcnow", lambda: moment.astimezone(UTC))


# A rule asking for every channel: the pipeline's tests follow each one (the default rule
# channels, IN_APP and EMAIL, are tested with the rules).
EVERY_CHANNEL = ["IN_APP", "EMAIL", "PUSH", "WEBHOOK"]


async def raise_notification(
    person: Person,
    kind: str = "LARGE_TRANSACTION",
    title: str = "Large transaction: $900.00",
    channels: list[str] | None = None,
) -> uuid.UUID:
    """A notification raised now (clock.utcnow) by a rule of `kind` delivering on `channels`
    (every channel by default), delivered as evaluation delivers it."""
    notification_id = uuid.uuid4()
    rule_id = uuid.uuid4()
    now = clock.utcnow()
    async with unit_of_work() as work:
        work.session.add(
            AlertRule(
                id=rule_id,
                user_id=person.id,
                kind=kind,
                enabled=True,
                channels=channels or EVERY_CHANNEL,
                created_at=now,
            )
        )
        await work.session.flush()
        assert await repository.insert_notification_if_absent(
            work.session,
            {
                "id": notification_id,
                "user_id": person.id,
                "rule_id": rule_id,
                "kind": kind,
                "dedupe_key": f"test:{notification_id.hex}",
                "title": title,
                "body": f"{title}.",
                "created_at": now,
            },
        )
        view = NotificationView(notification_id, kind, title, f"{title}.", now, None)
        await service.deliver_after_commit(work, person.id, [view])
    return notification_id


async def rows_of(notification_id: uuid.UUID) -> dict[str, Delivery]:
    async with read_session() as session:
        found = await session.scalars(
            select(Delivery).where(Delivery.notification_id == notification_id)
        )
        return {row.channel: row for row in found}


async def status_settles(
    notification_id: uuid.UUID, channel: str, status: str, *, seconds: float = 10.0
) -> Delivery:
    """The channel's row once it has `status` (or as it is after `seconds`). A job the periodic
    pass queued may be run by a worker of this process (the live server's, in the full suite)
    while the test runs the same job: whichever holds the row records the outcome."""
    for _ in range(int(seconds / 0.05)):
        row = (await rows_of(notification_id))[channel]
        if row.status == status:
            return row
        await asyncio.sleep(0.05)
    return (await rows_of(notification_id))[channel]


async def settle(notification_id: uuid.UUID) -> None:
    """Run the jobs of the notification's deliveries that are due (what a worker would)."""
    for row in (await rows_of(notification_id)).values():
        if row.channel != "IN_APP":
            await deliver(str(row.id))
    # A worker of this process (the live server's, in the full suite) may hold a row still:
    # wait until none is claimed, so the outcome is recorded whoever sent it.
    for _ in range(200):
        if all(row.claimed_until is None for row in (await rows_of(notification_id)).values()):
            return
        await asyncio.sleep(0.05)


async def release() -> service.PassReport:
    """The scheduler's pass, as it runs (over every user: read the test user's rows after)."""
    return await notifier_api.release_due_deliveries()


async def update_settings(person: Person, **fields: Any) -> dict[str, Any]:
    found = await data(
        """mutation($input: UpdateNotificationSettingsInput!) {
             updateNotificationSettings(input: $input) { notificationSettings {
               timeZone locale quietHours { start end } digest { hour kinds }
               rateLimits { kind perHour } defaultRateLimitPerHour emailOffKinds } } }""",
        {"input": fields},
        user_id=person.id,
    )
    settings: dict[str, Any] = found["updateNotificationSettings"]["notificationSettings"]
    return settings
