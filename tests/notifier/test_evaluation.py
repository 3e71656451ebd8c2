"""Evaluating alert rules when the ledger announces changed transactions.

These drive the evaluation directly (the service, and the actor's own function), as a retried
or duplicated message would; test_delivery.py goes through the broker end to end.
"""

from __future__ import annotations

import asyncio
import inspect
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, cast

import pytest

from services.notifier import actors
from services.notifier.evaluation import service
from services.notifier.evaluation.announcement import TransactionsChanged
from shared.db import unit_of_work
from shared.ids import decode_id
from tests.notifier.factories import (
    Person,
    category_id,
    create_rule,
    notifications,
    open_account,
    rules,
    set_budget,
    set_rule_enabled,
    sign_up,
    spend,
)

MONTH = "2026-11"
on_transactions_changed = cast(
    Callable[..., Awaitable[None]], inspect.unwrap(actors.on_transactions_changed.fn)
)


async def evaluate(person: Person, transaction_ids: list[str], months: list[str]) -> int:
    """Run the rules as the actor would for this announcement; how many notifications are new."""
    change = TransactionsChanged.parse(
        str(person.id),
        [str(decode_id("Transaction", text)) for text in transaction_ids],
        months,
    )
    async with unit_of_work() as work:
        return len(await service.evaluate_transactions_changed(work, change))


async def overspent_groceries(person: Person) -> tuple[str, list[str]]:
    """A $500.00 Groceries budget for November 2026, overspent to $523.10."""
    groceries = await category_id(person, "Groceries")
    account = await open_account(person)
    await set_budget(person, groceries, MONTH, "500.00")
    spent = [
        await spend(person, account, "-300.00", category=groceries),
        await spend(person, account, "-223.10", category=groceries, day="2026-11-20"),
    ]
    return account, spent


async def test_overspending_a_budget_creates_one_notification_with_exact_money() -> None:
    person = await sign_up()
    _, spent = await overspent_groceries(person)

    await evaluate(person, spent, [MONTH])

    [alert] = await notifications(person)
    assert alert["kind"] == "BUDGET_OVERSPENT"
    assert alert["title"] == "Groceries budget overspent"
    assert alert["body"] == (
        "You've spent $523.10 of your $500.00 Groceries budget for November 2026. "
        "That's $23.10 over."
    )
    assert alert["readAt"] is None


async def test_a_budget_exactly_spent_is_not_overspent() -> None:
    person = await sign_up()
    groceries = await category_id(person, "Groceries")
    account = await open_account(person)
    await set_budget(person, groceries, MONTH, "500.00")
    spent = await spend(person, account, "-500.00", category=groceries)

    await evaluate(person, [spent], [MONTH])

    assert await notifications(person) == []


async def test_spending_more_in_an_overspent_month_adds_no_notification() -> None:
    person = await sign_up()
    account, spent = await overspent_groceries(person)
    groceries = await category_id(person, "Groceries")
    await evaluate(person, spent, [MONTH])

    more = await spend(person, account, "-40.00", category=groceries, day="2026-11-28")
    await evaluate(person, [more], [MONTH])

    assert len(await notifications(person)) == 1


async def test_each_month_and_category_is_alerted_on_its_own() -> None:
    person = await sign_up()
    groceries = await category_id(person, "Groceries")
    dining = await category_id(person, "Dining")
    account = await open_account(person)
    for category in (groceries, dining):
        for month in ("2026-10", MONTH):
            await set_budget(person, category, month, "10.00")
    spent = [
        await spend(person, account, "-11.00", category=category, day=f"{month}-03")
        for category in (groceries, dining)
        for month in ("2026-10", MONTH)
    ]

    await evaluate(person, spent, ["2026-10", MONTH])

    titles = sorted(n["title"] for n in await notifications(person))
    assert titles == ["Dining budget overspent"] * 2 + ["Groceries budget overspent"] * 2


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


async def test_a_large_transaction_rule_fires_once_per_transaction() -> None:
    person = await sign_up()
    account = await open_account(person)
    await create_rule(person, kind="LARGE_TRANSACTION", threshold="1000.00")
    below = await spend(person, account, "-999.99", description="Bike shop")
    money_in = await spend(person, account, "5000.00", description="Salary")
    at = await spend(person, account, "-1000.00", description="Landlord")
    above = await spend(person, account, "-2500.50", description="Apple Store", day="2026-11-03")

    await evaluate(person, [below, money_in, at, above], [MONTH])
    await evaluate(person, [at, above], [MONTH])

    alerts = await notifications(person)
    assert sorted(n["title"] for n in alerts) == [
        "Large transaction: $1,000.00",
        "Large transaction: $2,500.50",
    ]
    apple = next(n for n in alerts if "2,500.50" in n["title"])
    assert apple["kind"] == "LARGE_TRANSACTION"
    assert apple["body"] == (
        "Apple Store took $2,500.50 out of your account on November 3, 2026, "
        "at or above your large-transaction alert of $1,000.00."
    )


async def test_two_large_transaction_rules_still_alert_once_per_transaction() -> None:
    person = await sign_up()
    account = await open_account(person)
    await create_rule(person, kind="LARGE_TRANSACTION", threshold="100")
    await create_rule(person, kind="LARGE_TRANSACTION", threshold="1000")
    big = await spend(person, account, "-1500.00", description="Sofa")

    await evaluate(person, [big], [MONTH])

    [alert] = await notifications(person)
    assert "$1,000.00" in alert["body"]  # the highest threshold reached is the one quoted


async def test_a_threshold_in_another_currency_is_not_compared() -> None:
    person = await sign_up()
    euros = await open_account(person, currency="EUR")
    await create_rule(person, kind="LARGE_TRANSACTION", threshold="10")

    spent = await spend(person, euros, "-5000.00")
    await evaluate(person, [spent], [MONTH])

    assert await notifications(person) == []


async def test_a_category_rule_only_watches_its_category() -> None:
    person = await sign_up()
    account = await open_account(person)
    rent = await category_id(person, "Rent")
    await create_rule(person, kind="LARGE_TRANSACTION", threshold="500", categoryId=rent)

    other = await spend(person, account, "-900.00", description="Laptop")
    rent_paid = await spend(person, account, "-900.00", description="Rent", category=rent)
    await evaluate(person, [other, rent_paid], [MONTH])

    [alert] = await notifications(person)
    assert alert["body"].startswith("Rent took $900.00")


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
