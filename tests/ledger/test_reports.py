"""Reports: spending by category (exact sums of the rows they cover), and cash flow and net
worth over time, exact, month by month."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from tests.ledger.support import (
    add_transaction,
    bank_account,
    bank_transaction,
    category_ids,
    create_account,
    ingest,
    link_item,
    new_user,
    rejected_field,
)
from tests.support.graphql import data

SPENDING = """query($from: Date!, $to: Date!) { spendingByCategory(from: $from, to: $to) {
  category { name group } amount { amount currency } } }"""
CASH_FLOW = """query($from: Date!, $to: Date!) { cashFlow(from: $from, to: $to) {
  month income { amount currency } expenses { amount currency } net { amount currency } } }"""
NET_WORTH = """query($from: Date!, $to: Date!) { netWorth(from: $from, to: $to) {
  date month amount { amount currency } } }"""


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


async def test_a_refunded_purchase_leaves_no_spending_and_other_currencies_count_converted() -> (
    None
):
    user = await new_user()
    dollars = await create_account(user)
    euros = await create_account(user, name="Euro", currency="EUR")
    shopping = (await category_ids(user))["Shopping"]
    await add_transaction(user, dollars["id"], "-49.99", date="2026-08-01", category_id=shopping)
    await add_transaction(user, dollars["id"], "49.99", date="2026-08-03", category_id=shopping)
    await add_transaction(user, euros["id"], "-0.01", date="2026-08-03", category_id=shopping)
    august = {"from": "2026-08-01", "to": "2026-08-31"}

    waiting = await data(SPENDING, august, user_id=user)
    await data(
        """mutation { setExchangeRate(input: {currency: "EUR", date: "2026-08-01", rate: "2"})
             { exchangeRate { id } } }""",
        user_id=user,
    )
    converted = await data(SPENDING, august, user_id=user)

    assert waiting["spendingByCategory"] == []
    assert converted["spendingByCategory"] == [
        {
            "category": {"name": "Shopping", "group": "Lifestyle"},
            "amount": {"amount": "0.02", "currency": "USD"},
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


async def test_cash_flow_sums_money_in_and_out_per_month_leaving_out_transfers() -> None:
    user = await new_user()
    checking = await create_account(user)
    euros = await create_account(user, name="Euro", currency="EUR")
    categories = await category_ids(user)
    for amount, day in (
        ("2500.01", "2026-01-31"),
        ("-0.10", "2026-01-01"),
        ("-0.20", "2026-01-15"),
        ("-1200.00", "2026-03-02"),
        ("19.99", "2026-03-30"),
    ):
        await add_transaction(user, checking["id"], amount, date=day)
    await add_transaction(
        user, checking["id"], "-500.00", "2026-01-20", category_id=categories["Transfers"]
    )
    await add_transaction(user, checking["id"], "-7.00", "2025-12-31")
    await add_transaction(user, checking["id"], "-7.00", "2026-04-01")
    await add_transaction(user, euros["id"], "-99.00", "2026-01-05")

    result = await data(CASH_FLOW, {"from": "2026-01-01", "to": "2026-03-31"}, user_id=user)

    def usd(amount: str) -> dict[str, str]:
        return {"amount": amount, "currency": "USD"}

    assert result["cashFlow"] == [
        {
            "month": "2026-01",
            "income": usd("2500.01"),
            "expenses": usd("0.30"),
            "net": usd("2499.71"),
        },
        {"month": "2026-02", "income": usd("0.00"), "expenses": usd("0.00"), "net": usd("0.00")},
        {
            "month": "2026-03",
            "income": usd("19.99"),
            "expenses": usd("1200.00"),
            "net": usd("-1180.01"),
        },
    ]


async def test_cash_flow_clips_the_first_and_last_months_to_the_range() -> None:
    user = await new_user()
    account = await create_account(user)
    await add_transaction(user, account["id"], "-1.00", "2026-05-09")
    await add_transaction(user, account["id"], "-2.00", "2026-05-10")
    await add_transaction(user, account["id"], "-4.00", "2026-06-10")
    await add_transaction(user, account["id"], "-8.00", "2026-06-11")

    result = await data(CASH_FLOW, {"from": "2026-05-10", "to": "2026-06-10"}, user_id=user)

    assert [(p["month"], p["expenses"]["amount"]) for p in result["cashFlow"]] == [
        ("2026-05", "2.00"),
        ("2026-06", "4.00"),
    ]


async def test_net_worth_is_every_balance_at_each_months_end() -> None:
    user = await new_user()
    savings = await create_account(user, name="Savings", type="SAVINGS", opening_balance="1000.00")
    card = await create_account(user, name="Card", type="CREDIT")
    await add_transaction(user, savings["id"], "-0.01", "2025-12-31")
    await add_transaction(user, savings["id"], "250.55", "2026-01-15")
    await add_transaction(user, card["id"], "-80.10", "2026-02-01")
    await add_transaction(user, card["id"], "-0.04", "2026-02-10")
    await add_transaction(user, savings["id"], "5.00", "2026-02-11")
    # Linked: the bank says 300.00 today, after a -50.00 payment on 2026-02-20.
    item = await link_item(user, bank_account("acc-1", balance="300.00"))
    await ingest(user, item, added=(bank_transaction("t1", "-50.00", date=dt.date(2026, 2, 20)),))
    await create_account(user, name="Yen", currency="JPY", opening_balance="100000")

    result = await data(NET_WORTH, {"from": "2026-01-01", "to": "2026-02-15"}, user_id=user)

    assert result["netWorth"] == [
        {
            "date": "2026-01-31",
            "month": "2026-01",
            "amount": {"amount": "1600.54", "currency": "USD"},
        },
        {
            "date": "2026-02-15",
            "month": "2026-02",
            "amount": {"amount": "1525.40", "currency": "USD"},
        },
    ]
    today = await data(NET_WORTH, {"from": "2026-03-01", "to": "2026-03-01"}, user_id=user)
    accounts = await data("{ accounts { currency balance { amount } } }", user_id=user)
    balances = [a["balance"]["amount"] for a in accounts["accounts"] if a["currency"] == "USD"]
    assert today["netWorth"][0]["amount"]["amount"] == "1475.40"
    assert sum(Decimal(balance) for balance in balances) == Decimal("1475.40")


async def test_reports_refuse_a_range_that_ends_before_it_starts() -> None:
    user = await new_user()
    for query in (CASH_FLOW, NET_WORTH):
        field = await rejected_field(
            query, {"from": "2026-02-01", "to": "2026-01-31"}, user_id=user
        )
        assert field == "to"


async def test_reports_of_a_user_without_accounts_are_zero_in_us_dollars() -> None:
    stranger = await new_user()
    owner = await new_user()
    account = await create_account(owner, opening_balance="5.00")
    await add_transaction(owner, account["id"], "10.00", "2026-01-10")

    flow = await data(CASH_FLOW, {"from": "2026-01-01", "to": "2026-01-31"}, user_id=stranger)
    worth = await data(NET_WORTH, {"from": "2026-01-01", "to": "2026-01-31"}, user_id=stranger)

    zero = {"amount": "0.00", "currency": "USD"}
    assert flow["cashFlow"] == [{"month": "2026-01", "income": zero, "expenses": zero, "net": zero}]
    assert worth["netWorth"] == [{"date": "2026-01-31", "month": "2026-01", "amount": zero}]
