"""Email delivery through a real SMTP server (aiosmtpd): once per notification, at least once
across crashes, never twice within the lease, and an SMTP refusal recorded with its reason."""

from __future__ import annotations

import asyncio
import inspect
import socket
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest

from services.notifier import actors
from services.notifier import api as notifier_api
from services.notifier.delivery import email, repository, service
from shared import clock
from shared.config import get_settings
from shared.db import unit_of_work
from shared.messaging import broker
from tests.notifier.delivery.support import status_settles
from tests.notifier.factories import (
    delivery_id,
    delivery_row,
    drain_notifier_queue,
    mail_to,
    sign_up,
    stored_notification,
)

deliver = cast(Callable[[str], Awaitable[None]], inspect.unwrap(actors.deliver_notification.fn))
deliver_old_email_job = cast(
    Callable[[str], Awaitable[None]], inspect.unwrap(actors.deliver_notification_email.fn)
)
CREATED = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


async def _email_of(notification: uuid.UUID) -> str:
    return str(await delivery_id(notification, "EMAIL"))


def _frozen_at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr(clock, "utcnow", lambda: moment)


async def test_a_notification_is_emailed_once_however_often_delivery_runs(
    smtp_server: Any,
) -> None:
    person = await sign_up(ledger=False)
    notification = await stored_notification(person, "Groceries budget overspent", CREATED)
    job = await _email_of(notification)

    await deliver(job)
    await deliver(job)

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
    assert f'href="{link}"' in html
    assert "<h2" in html
    row = await delivery_row(notification, "EMAIL")
    assert (row.status, row.attempts, row.reason) == ("SENT", 1, None)
    assert row.idempotency_key == f"{notification.hex}:EMAIL"


async def test_a_job_queued_before_deliveries_existed_still_sends_the_email_once(
    smtp_server: Any,
) -> None:
    person = await sign_up(ledger=False)
    notification = await stored_notification(person, "Old job", CREATED)

    await deliver_old_email_job(str(notification))
    await deliver_old_email_job(str(notification))

    assert len(mail_to(smtp_server, person.email)) == 1


async def test_concurrent_deliveries_of_one_notification_send_one_email(
    smtp_server: Any,
) -> None:
    person = await sign_up(ledger=False)
    job = await _email_of(await stored_notification(person, "Raced", CREATED))

    await asyncio.gather(*(deliver(job) for _ in range(3)))
    for _ in range(3):  # what redelivered messages do
        await deliver(job)

    assert len(mail_to(smtp_server, person.email)) == 1


async def test_a_server_out_of_reach_is_retried_after_a_backoff(
    smtp_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = await sign_up(ledger=False)
    notification = await stored_notification(person, "Try again", CREATED)
    job = await _email_of(notification)
    now = datetime.now(UTC)
    _frozen_at(monkeypatch, now)
    monkeypatch.setattr(get_settings(), "smtp_url", f"smtp://127.0.0.1:{_closed_port()}")

    await deliver(job)

    row = await delivery_row(notification, "EMAIL")
    assert (row.status, row.attempts) == ("PENDING", 1)
    assert row.reason is not None and "out of reach" in row.reason
    assert row.next_attempt_at == now + timedelta(minutes=1)
    monkeypatch.setattr(get_settings(), "smtp_url", f"smtp://127.0.0.1:{smtp_server.port}")
    await deliver(job)  # too early: the backoff holds it
    assert mail_to(smtp_server, person.email) == []

    _frozen_at(monkeypatch, now + timedelta(minutes=1))
    # The periodic pass queues it again, now due (a worker running in this process may take
    # the job at once: what the job did is checked, not the queue).
    await notifier_api.release_due_deliveries()
    await deliver(job)

    assert (await status_settles(notification, "EMAIL", "SENT")).status == "SENT"
    assert len(mail_to(smtp_server, person.email)) == 1


async def test_a_permanent_refusal_fails_with_the_servers_reason_and_is_not_retried(
    smtp_server: Any,
) -> None:
    person = await sign_up(ledger=False)
    notification = await stored_notification(person, "Refused", CREATED)
    job = await _email_of(notification)
    smtp_server.refuse(person.email, "550 5.1.1 No such mailbox here")

    await deliver(job)
    await deliver(job)

    row = await delivery_row(notification, "EMAIL")
    assert row.status == "FAILED"
    assert row.reason == "the mail server answered 550 5.1.1 No such mailbox here"
    assert row.attempts == 1
    assert smtp_server.attempts_to(person.email) == 1


async def test_a_temporary_refusal_is_retried(smtp_server: Any) -> None:
    person = await sign_up(ledger=False)
    notification = await stored_notification(person, "Greylisted", CREATED)
    smtp_server.refuse(person.email, "451 4.7.1 Greylisted, come back later")

    await deliver(await _email_of(notification))

    row = await delivery_row(notification, "EMAIL")
    assert row.status == "PENDING"
    assert row.reason == "the mail server answered 451 4.7.1 Greylisted, come back later"
    assert row.next_attempt_at is not None


async def test_an_email_another_job_holds_is_left_to_it(smtp_server: Any) -> None:
    person = await sign_up(ledger=False)
    notification = await stored_notification(person, "Held", CREATED)
    job = await delivery_id(notification, "EMAIL")
    now = datetime.now(UTC)
    async with unit_of_work() as work:
        assert await repository.claim(work.session, job, now, now + service.DELIVERY_LEASE)

    await deliver(str(job))

    assert mail_to(smtp_server, person.email) == []
    row = await delivery_row(notification, "EMAIL")
    assert (row.status, row.claimed_until) == ("PENDING", now + service.DELIVERY_LEASE)


async def test_a_crash_between_send_and_record_sends_again_only_after_the_lease(
    smtp_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = await sign_up(ledger=False)
    notification = await stored_notification(person, "Crashed", CREATED)
    job = await _email_of(notification)
    now = datetime.now(UTC)
    _frozen_at(monkeypatch, now)

    async def crash(*_: Any) -> str:
        raise SystemExit("the worker died after SMTP accepted the email")

    with monkeypatch.context() as crashing:
        crashing.setattr(service, "record_attempt", crash)
        with pytest.raises(SystemExit):
            await deliver(job)
    assert len(mail_to(smtp_server, person.email)) == 1

    # The message comes back (a redelivery) and the periodic pass runs, within the lease: the
    # row stays held, nothing is queued nor sent again.
    for moment in (now + timedelta(seconds=5), now + timedelta(seconds=59)):
        _frozen_at(monkeypatch, moment)
        await deliver(job)
        await notifier_api.release_due_deliveries()
        row = await delivery_row(notification, "EMAIL")
        assert (row.status, row.claimed_until) == ("PENDING", now + service.DELIVERY_LEASE)
        assert row.queued_until is None  # the pass left it alone
    assert timedelta(minutes=1) <= service.DELIVERY_LEASE
    assert len(mail_to(smtp_server, person.email)) == 1

    # Once the lease expired, the pass queues it again and the job sends it.
    _frozen_at(monkeypatch, now + service.DELIVERY_LEASE)
    await notifier_api.release_due_deliveries()
    await deliver(job)

    assert (await status_settles(notification, "EMAIL", "SENT")).status == "SENT"
    assert len(mail_to(smtp_server, person.email)) == 2  # at least once: sent again


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_one_trip_through_the_broker_sends_the_email(
    smtp_server: Any, notifier_worker: None
) -> None:
    person = await sign_up(ledger=False)
    notification = await stored_notification(person, "Large transaction: $1,200.00", CREATED)
    job = await _email_of(notification)

    broker.enqueue(actors.deliver_notification.message(job))
    broker.enqueue(actors.deliver_notification.message(job))
    await drain_notifier_queue()

    assert [m["Subject"] for m in mail_to(smtp_server, person.email)] == [
        "Large transaction: $1,200.00"
    ]


async def test_without_an_smtp_server_configured_the_email_fails_saying_so(
    smtp_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = await sign_up(ledger=False)
    notification = await stored_notification(person, "Quiet", CREATED)
    monkeypatch.setattr(get_settings(), "smtp_url", None)

    await deliver(await _email_of(notification))

    row = await delivery_row(notification, "EMAIL")
    assert (row.status, row.reason) == ("FAILED", email.NOT_SET_UP)
    assert "TALLY_SMTP_URL" in email.NOT_SET_UP
    assert mail_to(smtp_server, person.email) == []


async def test_an_unknown_delivery_sends_nothing(smtp_server: Any) -> None:
    before = len(smtp_server.messages)

    await deliver(str(uuid.uuid4()))
    await deliver_old_email_job(str(uuid.uuid4()))

    assert len(smtp_server.messages) == before
