"""A budget's `spent` is read from the stored monthly report totals when the user's are built,
and from the transactions when not: the same figures either way, to the cent, with split
transactions (parts in several categories, two in one), transfers, refunds, other currencies
at their stored converted figures and ones still waiting for a rate, and after the base
currency changed (a budget set in the earlier one counts as before)."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

import pytest
from sqlalchemy import delete

from services.ledger.models import ReportTotalsBuilt
from shared.db import count_statements, unit_of_work
from tests.ledger.test_currencies import SET_BASE, set_rate
from tests.support.factories import add_transaction, category_ids, create_account, new_user
from tests.support.graphql import data

pytestmark = pytest.mark.usefixtures("ledger_worker")

MONTHS = ("2026-01", "2026-02", "2026-03", "2026-04")
BUDGETS = """query($month: Month!) { budgets(month: $month) {
  id month category { name } amount { amount currency } spent { amount currency }
  remaining { amount currency }
  missingRates { currency transactionCount amount { amount currency } firstDate lastDate } } }"""
SET_BUDGET = """mutation($input: SetBudgetInput!) { setBudget(input: $input) { budget {
  id spent { amount currency } } } }"""
SPLIT = """mutation($i: SplitTransactionInput!) { splitTransaction(input: $i) {
  transaction { id } } }"""
UPDATE = """mutation($i: UpdateTransactionInput!) { updateTransaction(input: $i) {
  transaction { id } } }"""
TRANSFER = """mutation($i: CreateTransferInput!) { createTransfer(input: $i) { outflow { id } } }"""
EXPENSES = ("Groceries", "Dining", "Transport", "Shopping", "Rent")


def _day(rng: random.Random) -> dt.date:
    return dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(120))


def _cents(rng: random.Random) -> str:
    cents = rng.randint(1, 40_000) * rng.choice((-1, -1, -1, 1))  # a refund now and then
    return f"{cents / 100:.2f}"


async def _story(rng: random.Random) -> uuid.UUID:
    user = await new_user()
    categories = await category_ids(user)
    accounts = [
        (await create_account(user, name="Checking"))["id"],
        (await create_account(user, name="Savings"))["id"],
        (await create_account(user, name="Girokonto", currency="EUR"))["id"],
        (await create_account(user, name="London", currency="GBP"))["id"],  # never a rate
    ]
    # Euros from February on have a rate; January's wait for one.
    await set_rate(user, "EUR", "2026-02-01", "1.0837")
    for index in range(60):
        await add_transaction(
            user,
            rng.choice(accounts),
            _cents(rng),
            _day(rng),
            f"Shop {index}",
            categories[rng.choice(EXPENSES)] if index % 9 else None,
        )
    for index in range(8):
        made = await add_transaction(user, rng.choice(accounts[:3]), "-90.01", _day(rng), "Split")
        first, second = rng.sample(EXPENSES, 2)
        parts = [
            {"amount": "-40.00", "categoryId": categories[first]},
            {"amount": "-30.00", "categoryId": categories[second]},
            # Every other one has two parts in one category.
            {"amount": "-20.01", "categoryId": categories[first if index % 2 else second]},
        ]
        await data(SPLIT, {"i": {"id": made["id"], "parts": parts}}, user_id=user)
    for _ in range(4):
        transfer = {
            "fromAccountId": accounts[0],
            "toAccountId": accounts[1],
            "date": _day(rng).isoformat(),
            "amount": f"{rng.randint(1, 9999) / 100:.2f}",
        }
        made = await data(TRANSFER, {"i": transfer}, user_id=user)
        # A transfer half the user put in an expense category is still never spending.
        outflow = {"id": made["createTransfer"]["outflow"]["id"], "categoryId": categories["Rent"]}
        await data(UPDATE, {"i": outflow}, user_id=user)
    for month in MONTHS:
        for name in rng.sample(EXPENSES, 3):
            budget = {"categoryId": categories[name], "month": month, "amount": "250"}
            await data(SET_BUDGET, {"input": budget}, user_id=user)
    return user


async def _budgets(user: uuid.UUID) -> dict[str, Any]:
    return {
        month: (await data(BUDGETS, {"month": month}, user_id=user))["budgets"] for month in MONTHS
    }


async def _forget_built(user: uuid.UUID) -> None:
    """The user as one whose totals were never built: budgets read the transactions."""
    async with unit_of_work() as work:
        await work.session.execute(
            delete(ReportTotalsBuilt).where(ReportTotalsBuilt.user_id == user)
        )


@pytest.mark.parametrize(("seed", "new_base"), [(3, None), (11, None), (5, "EUR")])
async def test_budgets_spent_from_stored_totals_equals_summing_the_transactions(
    seed: int, new_base: str | None
) -> None:
    user = await _story(random.Random(seed))
    currencies = {"USD"}
    if new_base is not None:
        # The budgets set in dollars stay in dollars; April's Groceries is set again, in the
        # new base currency.
        await data(SET_BASE, {"input": {"currency": new_base}}, user_id=user)
        groceries = (await category_ids(user))["Groceries"]
        await data(
            SET_BUDGET,
            {"input": {"categoryId": groceries, "month": "2026-04", "amount": "80"}},
            user_id=user,
        )
        currencies.add(new_base)

    async with count_statements() as statements:
        stored = await _budgets(user)
    await _forget_built(user)
    summed = await _budgets(user)

    assert stored == summed
    assert not any("FROM ledger_transactions" in statement for statement in statements)
    budgets = [budget for month in MONTHS for budget in stored[month]]
    assert any(budget["spent"]["amount"] not in ("0", "0.00") for budget in budgets)
    assert any(budget["missingRates"] for budget in budgets)
    assert {budget["amount"]["currency"] for budget in budgets} == currencies
