"""Driving evaluation directly, as a retried or duplicated message would."""

from __future__ import annotations

from services.notifier.evaluation import service
from services.notifier.evaluation.announcement import TransactionsChanged
from shared.db import unit_of_work
from shared.ids import decode_id
from tests.notifier.factories import Person, category_id, open_account, set_budget, spend

MONTH = "2026-11"


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
