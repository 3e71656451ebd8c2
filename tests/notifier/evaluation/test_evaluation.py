"""Evaluating alert rules when the ledger announces changed transactions: what holds for
every kind (retries and races, disabled rules, whose transactions, malformed announcements).

These drive the evaluation directly (the service, and the actor's own function), as a retried
or duplicated message would; one module per alert kind sits beside this one, and
tests/notifier/test_end_to_end.py goes through the broker end to end.
"""

from __future__ import annotations

import asyncio
import inspect
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, cast

import pytest

from services.notifier import actors
from services.notifier.evaluation.announcement import TransactionsChanged
from shared.ids import decode_id
from tests.notifier.evaluation.support import MONTH, evaluate, overspent_groceries
from tests.notifier.factories import (
    create_rule,
    notifications,
    open_account,
    rules,
    set_rule_enabled,
    sign_up,
    spend,
)

on_transactions_changed = cast(
    Callable[..., Awaitable[None]], inspect.unwrap(actors.on_transactions_changed.fn)
)


async def test_racing_evaluations_store_one_notification() -> None:
    person = await sign_up()
    _, spent = await overspent_groceries(person)

    created = await asyncio.gather(*(evaluate(person, spent, [MONTH]) for _ in range(4)))

    assert sum(created) <= 1
    assert len(await notifications(person)) == 1


async def test_a_redelivered_announcement_changes_nothing() -> None:
    person = await sign_up()
    _, spent = await overspent_groceries(person)
    kwargs: dict[str, Any] = {
        "user_id": str(person.id),
        "transaction_ids": [str(decode_id("Transaction", text)) for text in spent],
        "months": [MONTH],
    }

    await on_transactions_changed(**kwargs)
    await on_transactions_changed(**kwargs)

    assert len(await notifications(person)) == 1


async def test_disabled_rules_do_not_fire() -> None:
    person = await sign_up()
    account = await open_account(person)
    large = await create_rule(person, kind="LARGE_TRANSACTION", threshold="1")
    for rule in await rules(person):
        await set_rule_enabled(person, rule["id"], False)
    assert large["id"] in [rule["id"] for rule in await rules(person)]
    _, spent = await overspent_groceries(person)
    big = await spend(person, account, "-2000.00")

    await evaluate(person, [*spent, big], [MONTH])

    assert await notifications(person) == []


async def test_a_rule_turned_back_on_fires_for_later_changes() -> None:
    person = await sign_up()
    [default] = await rules(person)
    await set_rule_enabled(person, default["id"], False)
    _, spent = await overspent_groceries(person)
    await evaluate(person, spent, [MONTH])
    assert await notifications(person) == []

    await set_rule_enabled(person, default["id"], True)
    await evaluate(person, spent, [MONTH])

    assert len(await notifications(person)) == 1


async def test_another_users_transactions_are_never_evaluated() -> None:
    owner = await sign_up()
    stranger = await sign_up()
    await create_rule(stranger, kind="LARGE_TRANSACTION", threshold="1")
    account = await open_account(owner)
    big = await spend(owner, account, "-2000.00")

    await evaluate(stranger, [big], [MONTH])

    assert await notifications(stranger) == []


async def test_a_malformed_announcement_is_refused() -> None:
    with pytest.raises(ValueError):
        TransactionsChanged.parse(str(uuid.uuid4()), ["not-a-uuid"], [MONTH])
    with pytest.raises(ValueError):
        TransactionsChanged.parse(str(uuid.uuid4()), [], ["2026-13"])
    with pytest.raises(ValueError):
        TransactionsChanged.parse("someone", [], [MONTH])
