"""Email delivery through a real SMTP server: once per notification, with a link back to Tally."""

from __future__ import annotations

import asyncio
import inspect
import socket
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import dramatiq
import pytest

from services.notifier import actors
from services.notifier.delivery import repository, service
from shared.config import get_settings
from shared.db import unit_of_work
from shared.messaging import broker
from tests.notifier.factories import drain_notifier_queue, mail_to, sign_up, stored_notification

deliver = cast(
    Callable[[str], Awaitable[None]], inspect.unwrap(actors.deliver_notification_email.fn)
)
CREATED = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


async def test_a_notification_is_emailed_once_however_often_delivery_runs(
    smtp_server: Any,
) -> None:
    person = await sign_up(ledger=False)
    notification = await stored_notification(person, "Groceries budget overspent", CREATED)

    await deliver(str(notification))
    await deliver(str(notification))

    [mail] = mail_to(smtp_server, person.email)
    assert mail["Subject"] == "Groceries budget overspent"
    assert mail["X-Envelope-Recipients"] == person.email
    assert mail["From"] == get_settings().smtp_sender
    assert mail["Message-ID"] == f"<notification.{notification.hex}@127.0.0.1>"
    assert mail["Auto-Submitted"] == "auto-generated"
    link = f"{get_settings().public_url}/notifications"
    text = mail.get_body(preferencelist=("plain",)).get_content()
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert "Groceries budget overspent." in text
    assert link in text
    assert f'<a href="{link}">' in html
    assert "<h2" in html


async def test_concurrent_deliveries_of_one_notification_send_one_email(
    smtp_server: Any,
) -> None:
    person = await sign_up(ledger=False)
    notification = str(await stored_notification(person, "Raced", CREATED))

    outcomes = await asyncio.gather(
        *(deliver(notification) for _ in range(3)), return_exceptions=True
    )
    for _ in range(3):  # what the retries of the held-off deliveries do
        await deliver(notification)

    assert len(mail_to(smtp_server, person.email)) == 1
    assert None in outcomes
    assert all(outcome is None or isinstance(outcome, dramatiq.Retry) for outcome in outcomes)


async def test_a_failed_send_leaves_the_email_owed(
    smtp_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = await sign_up(ledger=False)
    notification = str(await stored_notification(person, "Try again", CREATED))
    monkeypatch.setattr(get_settings(), "smtp_url", f"smtp://127.0.0.1:{_closed_port()}")

    with pytest.raises(OSError):
        await deliver(notification)
    monkeypatch.undo()
    await deliver(notification)

    assert len(mail_to(smtp_server, person.email)) == 1


async def test_an_email_another_delivery_holds_is_retried_later(smtp_server: Any) -> None:
    person = await sign_up(ledger=False)
    notification = await stored_notification(person, "Held", CREATED)
    now = datetime.now(UTC)
    async with unit_of_work() as work:
        assert await repository.claim_email(work.session, notification, now, now)

    with pytest.raises(dramatiq.Retry):
        await deliver(str(notification))

    assert mail_to(smtp_server, person.email) == []


async def test_a_crashed_deliverys_claim_expires(smtp_server: Any) -> None:
    person = await sign_up(ledger=False)
    notification = await stored_notification(person, "Crashed", CREATED)
    long_ago = datetime.now(UTC) - service.EMAIL_CLAIM_LEASE - timedelta(seconds=1)
    async with unit_of_work() as work:  # claimed by a worker that then died
        assert await repository.claim_email(work.session, notification, long_ago, long_ago)

    await deliver(str(notification))

    assert len(mail_to(smtp_server, person.email)) == 1


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_one_trip_through_the_broker_sends_the_email(
    smtp_server: Any, notifier_worker: None
) -> None:
    person = await sign_up(ledger=False)
    notification = await stored_notification(person, "Large transaction: $1,200.00", CREATED)

    broker.enqueue(actors.deliver_notification_email.message(str(notification)))
    broker.enqueue(actors.deliver_notification_email.message(str(notification)))
    await drain_notifier_queue()

    assert [m["Subject"] for m in mail_to(smtp_server, person.email)] == [
        "Large transaction: $1,200.00"
    ]


async def test_without_an_smtp_server_configured_nothing_is_emailed(
    smtp_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = await sign_up(ledger=False)
    notification = await stored_notification(person, "Quiet", CREATED)
    monkeypatch.setattr(get_settings(), "smtp_url", None)

    await deliver(str(notification))
    monkeypatch.undo()
    await deliver(str(notification))  # still owed: it was never sent

    assert len(mail_to(smtp_server, person.email)) == 1


async def test_an_unknown_notification_sends_nothing(smtp_server: Any) -> None:
    before = len(smtp_server.messages)

    await deliver(str(uuid.uuid4()))

    assert len(smtp_server.messages) == before
