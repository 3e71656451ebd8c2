"""Spending by category: exact sums of the rows they cover."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from tests.ledger.support import (
    add_transaction,
    category_ids,
    create_account,
    new_user,
    rejected_field,
)
from tests.support.graphql import data

SPENDING = """query($from: Date!, $to: Date!) { spendingByCategory(from: $from, to: $to) {
  category { name group } amount { amount currency } } }"""


async def test_each_categorys_spending_is_the_exact_sum_of_its_rows() -> None:
    user = await new_user()
    account = await create_account(user)
    categories = await category_ids(user)
    chosen = ["Groceries", "Dining", "Transport", "Shopping"]
    randomness = random.Random(20261125)
    expected = {name: Decimal(0) for name in chosen}
    start = dt.date(2026, 1, 1)
    for index in range(120):
        name = chosen[index % len(chosen)]
        # Odd cents that a float would not add up exactly (0.1 + 0.2 ...), refunds included.
        amount = Decimal(randomness.randint(-99_999, 2_000)) / 100
        day = start + dt.timedelta(days=randomness.randint(0, 58))
        await add_transaction(
            user, account["id"], str(amount), date=day, category_id=categories[name]
        )
        expected[name] -= amount
    # Outside the range, uncategorized, or income: not spending in the range.
    await add_transaction(
        user, account["id"], "-1000.00", date="2025-12-31", category_id=categories["Dining"]
    )
    await add_transaction(
        user, account["id"], "-1000.00", date="2026-03-01", category_id=categories["Dining"]
    )
    await add_transaction(user, account["id"], "-77.77", date="2026-01-15")
    await add_transaction(
        user, account["id"], "3000.00", date="2026-01-15", category_id=categories["Income"]
    )

    result = await data(SPENDING, {"from": "2026-01-01", "to": "2026-02-28"}, user_id=user)

    rows = result["spendingByCategory"]
    reported = {row["category"]["name"]: Decimal(row["amount"]["amount"]) for row in rows}
    assert reported == {name: total for name, total in expected.items() if total > 0}
    assert all(row["amount"]["currency"] == "USD" for row in rows)
    amounts = [Decimal(row["amount"]["amount"]) for row in rows]
    assert amounts == sorted(amounts, reverse=True)
    assert rows[0]["category"]["group"]


async def test_a_refunded_purchase_leaves_no_spending_and_currencies_are_kept_apart() -> None:
    user = await new_user()
    dollars = await create_account(user)
    euros = await create_account(user, name="Euro", currency="EUR")
    shopping = (await category_ids(user))["Shopping"]
    await add_transaction(user, dollars["id"], "-49.99", date="2026-08-01", category_id=shopping)
    await add_transaction(user, dollars["id"], "49.99", date="2026-08-03", category_id=shopping)
    await add_transaction(user, euros["id"], "-0.01", date="2026-08-03", category_id=shopping)

    result = await data(SPENDING, {"from": "2026-08-01", "to": "2026-08-31"}, user_id=user)

    assert result["spendingByCategory"] == [
        {
            "category": {"name": "Shopping", "group": "Lifestyle"},
            "amount": {"amount": "0.01", "currency": "EUR"},
        }
    ]


async def test_a_range_that_ends_before_it_starts_is_refused() -> None:
    user = await new_user()

    field = await rejected_field(SPENDING, {"from": "2026-02-01", "to": "2026-01-31"}, user_id=user)

    assert field == "to"


async def test_another_users_spending_is_never_counted() -> None:
    owner, other = await new_user(), await new_user()
    account = await create_account(owner)
    await add_transaction(
        owner,
        account["id"],
        "-5.00",
        date="2026-09-09",
        category_id=(await category_ids(owner))["Dining"],
    )

    result = await data(SPENDING, {"from": "2026-01-01", "to": "2026-12-31"}, user_id=other)

    assert result["spendingByCategory"] == []
