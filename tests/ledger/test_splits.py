"""Split transactions: one transaction in parts that add up to it exactly, each counted in its
own category by budgets, spending and cash flow (foreign ones at exact shares of their
figure)."""

from __future__ import annotations

import uuid
from typing import Any

from services.ledger import api
from shared.db import unit_of_work
from shared.ids import decode_id
from shared.money import Money
from tests.ledger.support import (
    add_transaction,
    category_ids,
    create_account,
    new_user,
    rejected_field,
)
from tests.support.factories import set_budget
from tests.support.graphql import data, error_codes, execute

SPLIT = """mutation($input: SplitTransactionInput!) { splitTransaction(input: $input) {
  transaction { id amount { amount } category { name }
    splits { amount { amount currency } category { name } notes converted { amount currency } }
  } } }"""
UNSPLIT = """mutation($input: UnsplitTransactionInput!) { unsplitTransaction(input: $input) {
  transaction { id splits { amount { amount } } } } }"""
UPDATE = """mutation($input: UpdateTransactionInput!) {
  updateTransaction(input: $input) { transaction { id } } }"""
SPENDING = """query { spendingByCategory(from: "2026-03-01", to: "2026-03-31") {
  category { name } amount { amount currency } } }"""
CASH_FLOW = """query { cashFlow(from: "2026-03-01", to: "2026-03-31") {
  income { amount } expenses { amount } } }"""
BUDGETS = """query { budgets(month: "2026-03") { category { name } spent { amount } } }"""


def _part(amount: str, category: str | None = None, notes: str | None = None) -> dict[str, Any]:
    return {"amount": amount, "categoryId": category, "notes": notes}


async def _split(user: uuid.UUID, transaction: str, *parts: dict[str, Any]) -> dict[str, Any]:
    result = await data(SPLIT, {"input": {"id": transaction, "parts": list(parts)}}, user_id=user)
    split: dict[str, Any] = result["splitTransaction"]["transaction"]
    return split


async def _spending(user: uuid.UUID) -> dict[str, str]:
    result = await data(SPENDING, user_id=user)
    return {
        row["category"]["name"]: row["amount"]["amount"] for row in result["spendingByCategory"]
    }


async def test_a_split_transaction_counts_each_part_in_its_own_category() -> None:
    user = await new_user()
    account = await create_account(user)
    categories = await category_ids(user)
    for name in ("Groceries", "Home", "Shopping"):
        await set_budget(user, categories[name], "2026-03", "500.00")
    market = await add_transaction(
        user, account["id"], "-120.00", date="2026-03-10", description="Costco",
        category_id=categories["Shopping"],
    )  # fmt: skip
    await add_transaction(
        user, account["id"], "-5.00", date="2026-03-11", category_id=categories["Groceries"]
    )

    split = await _split(
        user,
        market["id"],
        _part("-80.25", categories["Groceries"], "food"),
        _part("-39.75", categories["Home"]),
    )

    assert split["splits"] == [
        {"amount": {"amount": "-80.25", "currency": "USD"}, "category": {"name": "Groceries"},
         "notes": "food", "converted": None},
        {"amount": {"amount": "-39.75", "currency": "USD"}, "category": {"name": "Home"},
         "notes": None, "converted": None},
    ]  # fmt: skip
    assert split["category"] == {"name": "Shopping"}  # kept, but not counted while split
    assert await _spending(user) == {"Groceries": "85.25", "Home": "39.75"}
    budgets = (await data(BUDGETS, user_id=user))["budgets"]
    assert {b["category"]["name"]: b["spent"]["amount"] for b in budgets} == {
        "Groceries": "85.25",
        "Home": "39.75",
        "Shopping": "0.00",
    }
    [month] = (await data(CASH_FLOW, user_id=user))["cashFlow"]
    assert month["expenses"]["amount"] == "125.00"


async def test_unsplitting_counts_the_transaction_whole_again() -> None:
    user = await new_user()
    account = await create_account(user)
    categories = await category_ids(user)
    market = await add_transaction(
        user, account["id"], "-10.00", date="2026-03-10", category_id=categories["Shopping"]
    )
    await _split(user, market["id"], _part("-4.00", categories["Groceries"]), _part("-6.00"))

    result = await data(UNSPLIT, {"input": {"id": market["id"]}}, user_id=user)
    again = await data(UNSPLIT, {"input": {"id": market["id"]}}, user_id=user)

    assert result["unsplitTransaction"]["transaction"]["splits"] == []
    assert again["unsplitTransaction"]["transaction"]["splits"] == []
    assert await _spending(user) == {"Shopping": "10.00"}


async def test_splitting_again_replaces_the_parts() -> None:
    user = await new_user()
    account = await create_account(user)
    categories = await category_ids(user)
    market = await add_transaction(user, account["id"], "-10.00", date="2026-03-10")
    await _split(user, market["id"], _part("-4.00", categories["Groceries"]), _part("-6.00"))

    split = await _split(
        user,
        market["id"],
        _part("-1.00", categories["Dining"]),
        _part("-2.00", categories["Dining"]),
        _part("-7.00", categories["Health"]),
    )

    assert [part["amount"]["amount"] for part in split["splits"]] == ["-1.00", "-2.00", "-7.00"]
    assert await _spending(user) == {"Health": "7.00", "Dining": "3.00"}


async def test_parts_of_a_foreign_transaction_count_at_exact_shares_of_its_figure() -> None:
    user = await new_user()  # counts in USD
    euros = await create_account(user, name="Girokonto", currency="EUR")
    categories = await category_ids(user)
    await data(
        """mutation { setExchangeRate(input: {currency: "EUR", date: "2026-01-01",
             rate: "1.0825"}) { exchangeRate { id } } }""",
        user_id=user,
    )
    # 10.00 EUR is 10.825 USD: 10.82 once rounded (half to even).
    bill = await add_transaction(user, euros["id"], "-10.00", date="2026-03-10")

    split = await _split(
        user,
        bill["id"],
        _part("-3.33", categories["Groceries"]),
        _part("-3.33", categories["Dining"]),
        _part("-3.34", categories["Health"]),
    )

    shares = [part["converted"] for part in split["splits"]]
    # Exactly 3.604725, 3.604725 and 3.61555: rounded down, the cent left goes to the largest
    # remainder, so the shares add up to the figure.
    assert shares == [
        {"amount": "-3.60", "currency": "USD"},
        {"amount": "-3.60", "currency": "USD"},
        {"amount": "-3.62", "currency": "USD"},
    ]
    assert await _spending(user) == {"Health": "3.62", "Dining": "3.60", "Groceries": "3.60"}
    [month] = (await data(CASH_FLOW, user_id=user))["cashFlow"]
    assert month["expenses"]["amount"] == "10.82"


async def test_a_split_announces_its_transaction(announcements: list[dict[str, Any]]) -> None:
    user = await new_user()
    account = await create_account(user)
    market = await add_transaction(user, account["id"], "-10.00", date="2026-03-10")
    announcements.clear()

    await _split(user, market["id"], _part("-4.00"), _part("-6.00"))
    await data(UNSPLIT, {"input": {"id": market["id"]}}, user_id=user)

    ledger_id = str(decode_id("Transaction", market["id"]))
    expected = {"user_id": str(user), "transaction_ids": [ledger_id], "months": ["2026-03"]}
    assert announcements == [expected, expected]


async def test_bad_parts_are_refused_naming_the_field_and_the_parts_stay() -> None:
    user = await new_user()
    account = await create_account(user)
    savings = await create_account(user, name="Savings")
    market = await add_transaction(user, account["id"], "-10.00", date="2026-03-10")
    zero = await add_transaction(user, account["id"], "0", date="2026-03-10")
    await _split(user, market["id"], _part("-4.00", notes="kept"), _part("-6.00"))
    transfer = await data(
        """mutation($i: CreateTransferInput!) { createTransfer(input: $i) { outflow { id } } }""",
        {"i": {"fromAccountId": account["id"], "toAccountId": savings["id"],
               "date": "2026-03-01", "amount": "5.00"}},
        user_id=user,
    )  # fmt: skip
    leg = transfer["createTransfer"]["outflow"]["id"]
    cases: list[tuple[str, list[dict[str, Any]], str]] = [
        (market["id"], [_part("-4.00"), _part("-5.00")], "input.parts"),
        (market["id"], [_part("-10.00")], "input.parts"),
        (market["id"], [_part("-0.20")] * 51, "input.parts"),
        (market["id"], [_part("-10.00"), _part("0")], "input.parts[1].amount"),
        (market["id"], [_part("-11.00"), _part("1.00")], "input.parts[1].amount"),
        (market["id"], [_part("-4.005"), _part("-5.995")], "input.parts[0].amount"),
        (market["id"], [_part("-4.00", "nonsense"), _part("-6.00")], "input.parts[0].categoryId"),
        (market["id"], [_part("-4.00"), _part("-6.00", notes="n" * 2001)], "input.parts[1].notes"),
        (zero["id"], [_part("1.00"), _part("-1.00")], "input.id"),
        (leg, [_part("-2.00"), _part("-3.00")], "input.id"),
        ("nonsense", [_part("-4.00"), _part("-6.00")], "input.id"),
    ]
    for transaction, parts, field in cases:
        given = {"input": {"id": transaction, "parts": parts}}
        assert await rejected_field(SPLIT, given, user_id=user) == field, parts

    listed = await data(
        "query($id: ID!) { transaction(id: $id) { splits { amount { amount } notes } } }",
        {"id": market["id"]},
        user_id=user,
    )
    assert listed["transaction"]["splits"] == [
        {"amount": {"amount": "-4.00"}, "notes": "kept"},
        {"amount": {"amount": "-6.00"}, "notes": None},
    ]


async def test_a_split_transactions_amount_and_category_belong_to_its_parts() -> None:
    user = await new_user()
    account = await create_account(user)
    categories = await category_ids(user)
    market = await add_transaction(user, account["id"], "-10.00", date="2026-03-10")
    await _split(user, market["id"], _part("-4.00"), _part("-6.00"))

    for change, field in (
        ({"amount": "-12.00"}, "input.amount"),
        ({"categoryId": categories["Dining"]}, "input.categoryId"),
    ):
        given = {"input": {"id": market["id"], **change}}
        assert await rejected_field(UPDATE, given, user_id=user) == field
    await data(UPDATE, {"input": {"id": market["id"], "amount": "-10.00"}}, user_id=user)
    await data(UPDATE, {"input": {"id": market["id"], "notes": "fine"}}, user_id=user)


async def test_another_users_transaction_or_category_cannot_be_split() -> None:
    owner, intruder = await new_user(), await new_user()
    owners_account = await create_account(owner)
    owners = await add_transaction(owner, owners_account["id"], "-10.00", date="2026-03-10")
    owners_category = (await category_ids(owner))["Rent"]
    account = await create_account(intruder)
    mine = await add_transaction(intruder, account["id"], "-10.00", date="2026-03-10")

    attempts = [
        (SPLIT, {"input": {"id": owners["id"], "parts": [_part("-4.00"), _part("-6.00")]}}),
        (SPLIT, {"input": {"id": mine["id"], "parts": [_part("-4.00", owners_category),
                                                       _part("-6.00")]}}),
        (UNSPLIT, {"input": {"id": owners["id"]}}),
    ]  # fmt: skip
    for operation, variables in attempts:
        result = await execute(operation, variables, user_id=intruder)
        assert error_codes(result) == ["NOT_FOUND"]

    owned = await data(
        "query($id: ID!) { transaction(id: $id) { splits { amount { amount } } } }",
        {"id": owners["id"]},
        user_id=owner,
    )
    assert owned["transaction"]["splits"] == []


async def test_the_budgets_alerts_read_count_parts_and_leave_transfers_out() -> None:
    user = await new_user()
    account = await create_account(user)
    savings = await create_account(user, name="Savings")
    categories = await category_ids(user)
    await set_budget(user, categories["Dining"], "2026-03", "50.00")
    dinner = await add_transaction(user, account["id"], "-100.00", date="2026-03-10")
    await _split(user, dinner["id"], _part("-60.00", categories["Dining"]), _part("-40.00"))
    moved = await add_transaction(
        user, account["id"], "-500.00", date="2026-03-11", category_id=categories["Dining"]
    )
    arrived = await add_transaction(user, savings["id"], "500.00", date="2026-03-11")
    await data(
        "mutation($ids: [ID!]!) { linkTransfer(input: {ids: $ids}) { outflow { id } } }",
        {"ids": [moved["id"], arrived["id"]]},
        user_id=user,
    )

    async with unit_of_work() as work:
        [status] = await api.budget_statuses(work, user, ["2026-03"])

    assert status.spent == Money(6000, "USD")
