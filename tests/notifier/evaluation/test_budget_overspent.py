"""BUDGET_OVERSPENT: a category's month spent beyond its budget is alerted once."""

from __future__ import annotations

from tests.notifier.evaluation.support import MONTH, evaluate, overspent_groceries
from tests.notifier.factories import (
    category_id,
    notifications,
    open_account,
    set_budget,
    sign_up,
    spend,
)


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
