"""The delivery pipeline: a row per (notification, channel) written with the notification,
IN_APP sent once stored, a job per other channel, each channel's outcome recorded and visible
on `Notification.deliveries`, in one query for a page."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from shared.db import count_statements
from tests.notifier.delivery.support import (
    freeze,
    raise_notification,
    rows_of,
    settle,
    update_settings,
)
from tests.notifier.factories import mail_to, sign_up
from tests.support.graphql import data

NOON = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
DELIVERIES = """query($first: Int) { notifications(first: $first) { edges { node {
  title deliveries { channel status reason attempts updatedAt } } } } }"""


async def test_a_notification_is_delivered_in_the_app_at_once_and_through_each_channel_after(
    smtp_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = await sign_up(ledger=False)
    freeze(monkeypatch, NOON)
    notification = await raise_notification(person)

    # Written with the notification: IN_APP sent at once, a job on its way for the others
    # (which a worker running in this process may already have done).
    rows = await rows_of(notification)
    assert set(rows) == {"IN_APP", "EMAIL", "PUSH", "WEBHOOK"}
    assert (rows["IN_APP"].status, rows["IN_APP"].attempts) == ("SENT", 1)
    await settle(notification)

    [node] = [
        edge["node"]
        for edge in (await data(DELIVERIES, user_id=person.id))["notifications"]["edges"]
    ]
    assert node["deliveries"] == [
        {"channel": "IN_APP", "status": "SENT", "reason": None, "attempts": 1,
         "updatedAt": "2026-11-26T12:00:00+00:00"},
        {"channel": "EMAIL", "status": "SENT", "reason": None, "attempts": 1,
         "updatedAt": "2026-11-26T12:00:00+00:00"},
        {"channel": "PUSH", "status": "FAILED", "reason": "no browser has push turned on",
         "attempts": 1, "updatedAt": "2026-11-26T12:00:00+00:00"},
        {"channel": "WEBHOOK", "status": "FAILED",
         "reason": "no webhook is on for this kind of alert",
         "attempts": 1, "updatedAt": "2026-11-26T12:00:00+00:00"},
    ]  # fmt: skip
    assert len(mail_to(smtp_server, person.email)) == 1
    rows = await rows_of(notification)
    assert {row.idempotency_key for row in rows.values()} == {
        f"{notification.hex}:{channel}" for channel in ("IN_APP", "EMAIL", "PUSH", "WEBHOOK")
    }


async def test_a_page_of_notifications_reads_its_deliveries_in_one_query(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    person = await sign_up(ledger=False)
    freeze(monkeypatch, NOON)
    await raise_notification(person, title="One")

    async with count_statements() as one:
        await data(DELIVERIES, {"first": 20}, user_id=person.id)
    for title in ("Two", "Three", "Four", "Five"):
        await raise_notification(person, title=title)
    async with count_statements() as five:
        found = await data(DELIVERIES, {"first": 20}, user_id=person.id)

    assert len(found["notifications"]["edges"]) == 5
    assert all(len(edge["node"]["deliveries"]) == 4 for edge in found["notifications"]["edges"])
    assert len(five) == len(one)
    assert sum("notifier_deliveries" in statement for statement in five) == 1


async def test_nobody_sees_anothers_deliveries(monkeypatch: pytest.MonkeyPatch) -> None:
    person = await sign_up(ledger=False)
    stranger = await sign_up(ledger=False)
    freeze(monkeypatch, NOON)
    await raise_notification(person)

    found = await data(DELIVERIES, user_id=stranger.id)

    assert found["notifications"]["edges"] == []


async def test_a_kind_whose_emails_are_off_is_not_emailed(monkeypatch: pytest.MonkeyPatch) -> None:
    person = await sign_up(ledger=False)
    await update_settings(person, emailOffKinds=["LARGE_TRANSACTION"])
    freeze(monkeypatch, NOON)

    large = await raise_notification(person)
    budget = await raise_notification(person, kind="BUDGET_OVERSPENT", title="Rent over")

    assert set(await rows_of(large)) == {"IN_APP", "PUSH", "WEBHOOK"}
    assert "EMAIL" in await rows_of(budget)


async def test_a_notification_goes_only_through_the_channels_its_rule_chose(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    person = await sign_up(ledger=False)
    freeze(monkeypatch, NOON)

    in_app_only = await raise_notification(person, channels=["IN_APP"])
    with_push = await raise_notification(person, title="Another", channels=["IN_APP", "PUSH"])

    assert set(await rows_of(in_app_only)) == {"IN_APP"}
    assert set(await rows_of(with_push)) == {"IN_APP", "PUSH"}
