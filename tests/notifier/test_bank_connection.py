"""BANK_CONNECTION_ATTENTION end to end: a sync finds the bank wants the user to sign in again,
the sync service announces it, and the notifier (subscribed by the composition root, never
importing the sync service) tells the user once."""

from __future__ import annotations

from typing import Any

import pytest

from services.sync.runs import service as sync_runs
from tests.notifier.evaluation.kinds_support import of_kind
from tests.notifier.factories import Person, create_rule, drain_notifier_queue
from tests.support.factories import sign_up
from tests.sync import bank

pytestmark = pytest.mark.usefixtures("live_server")


async def test_a_bank_that_wants_a_new_login_is_told_once(notifier_worker: Any) -> None:
    person: Person = await sign_up()
    await create_rule(person, kind="BANK_CONNECTION_ATTENTION")
    bystander = await sign_up()
    await create_rule(bystander, kind="BANK_CONNECTION_ATTENTION")
    linked = await bank.link_bank(person.id)
    await bank.first_sync_done(linked)
    await bank.in_thread(bank.reset_login, linked.access_token)

    for _ in range(2):  # the second run finds it already LOGIN_REQUIRED: nothing new to say
        assert (await sync_runs.sync_linked_item(linked.item_ref)).outcome == "login_required"
    alerts = await bank.until(lambda: of_kind(person, "BANK_CONNECTION_ATTENTION"))
    await drain_notifier_queue()

    [alert] = await of_kind(person, "BANK_CONNECTION_ATTENTION")
    name = linked.institution["name"]
    assert alerts == [alert]
    assert alert["title"] == f"Reconnect {name}"
    assert alert["body"] == (
        f"{name} wants you to sign in again: new transactions won't arrive until you do."
    )
    assert await of_kind(bystander, "BANK_CONNECTION_ATTENTION") == []
