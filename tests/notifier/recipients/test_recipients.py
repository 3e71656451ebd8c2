"""Recipients: where a user's notifications go, and what an address must look like."""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, cast

import pytest

from services.notifier import actors
from services.notifier import api as notifier_api
from services.notifier.recipients import service as recipients
from shared.db import unit_of_work
from shared.errors import BadUserInput
from tests.notifier.factories import mail_to, sign_up, stored_notification

deliver = cast(
    Callable[[str], Awaitable[None]], inspect.unwrap(actors.deliver_notification_email.fn)
)
CREATED = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "address", ["", "no-at-sign", "a@b", "two words@example.com", "a@b.c\r\nBcc: x@y.z"]
)
async def test_an_address_mail_cannot_go_to_is_refused(address: str) -> None:
    with pytest.raises(BadUserInput) as refused:
        async with unit_of_work() as work:
            await notifier_api.provision_user(work, uuid.uuid4(), address)
    assert refused.value.field == "email"


async def test_a_changed_address_gets_the_next_email(smtp_server: Any) -> None:
    person = await sign_up(ledger=False)
    moved = f"moved-{uuid.uuid4().hex[:10]}@example.com"
    async with unit_of_work() as work:
        await recipients.set_recipient_email(work, person.id, moved)

    await deliver(str(await stored_notification(person, "Hello", CREATED)))

    assert mail_to(smtp_server, person.email) == []
    assert len(mail_to(smtp_server, moved)) == 1
