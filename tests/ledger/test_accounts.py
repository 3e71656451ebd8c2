"""Accounts: manual and bank-linked, with exact balances."""

from __future__ import annotations

import uuid

import pytest

from services.ledger import api
from shared.db import unit_of_work
from tests.ledger.support import (
    accounts,
    add_transaction,
    bank_account,
    bank_transaction,
    create_account,
    ingest,
    link_item,
    new_user,
    rejected_field,
)
from tests.support.graphql import data, error_codes, execute

CREATE = """mutation($input: CreateAccountInput!) {
  createAccount(input: $input) { id name type currency balance { amount currency } } }"""


async def test_a_new_user_gets_the_default_categories_in_groups() -> None:
    user = await new_user()

    result = await data("{ categories { name group } }", user_id=user)

    groups = {category["name"]: category["group"] for category in result["categories"]}
    for name in (
        "Groceries",
        "Dining",
        "Rent",
        "Utilities",
        "Transport",
        "Shopping",
        "Entertainment",
        "Health",
        "Income",
        "Transfers",
    ):
        assert name in groups
    assert groups["Groceries"] == groups["Dining"] == "Food"
    assert groups["Rent"] == "Housing"
    assert groups["Income"] == "Income"


async def test_provisioning_a_user_again_adds_no_duplicate_categories() -> None:
    user = await new_user()
    async with unit_of_work() as work:
        await api.provision_user(work, user)

    result = await data("{ categories { name } }", user_id=user)

    names = [category["name"] for category in result["categories"]]
    assert len(names) == len(set(names)) >= 10


async def test_a_manual_account_balance_is_its_opening_balance_plus_its_transactions() -> None:
    user = await new_user()
    account = await create_account(user, opening_balance="100.01")
    for amount in ("-0.07", "-19.99", "250.10", "-0.01"):
        await add_transaction(user, account["id"], amount)

    [listed] = await accounts(user)

    assert account["balance"] == {"amount": "100.01", "currency": "USD"}
    assert listed["balance"] == {"amount": "330.04", "currency": "USD"}
    assert listed["linked"] is False


async def test_an_account_without_opening_balance_starts_at_zero_in_its_currency() -> None:
    user = await new_user()

    account = await create_account(user, currency="jpy", type="Savings")

    assert account["currency"] == "JPY"
    assert account["type"] == "savings"
    assert account["balance"] == {"amount": "0", "currency": "JPY"}


async def test_a_linked_account_shows_the_balance_the_bank_reports() -> None:
    user = await new_user()
    item = await link_item(user, bank_account("acc-1", balance="1234.56"))
    await ingest(user, item, added=(bank_transaction("t1", "-10.00"),))

    [listed] = await accounts(user)

    assert listed["linked"] is True
    assert listed["mask"] == "0000"
    assert listed["balance"] == {"amount": "1234.56", "currency": "USD"}


async def test_a_linked_account_without_a_reported_balance_sums_its_transactions() -> None:
    user = await new_user()
    item = await link_item(user, bank_account("acc-1", balance=None))
    await ingest(
        user, item, added=(bank_transaction("t1", "-10.25"), bank_transaction("t2", "3.10"))
    )

    [listed] = await accounts(user)

    assert listed["balance"] == {"amount": "-7.15", "currency": "USD"}


async def test_linking_the_same_bank_accounts_again_updates_them_in_place() -> None:
    user = await new_user()
    item = uuid.uuid4()
    async with unit_of_work() as work:
        first = await api.upsert_bank_accounts(
            work, user, item, [bank_account("a", balance="1.00"), bank_account("b")]
        )
    async with unit_of_work() as work:
        again = await api.upsert_bank_accounts(
            work,
            user,
            item,
            [bank_account("a", balance="2.50", name="Renamed"), bank_account("b")],
        )
        ids = await api.account_ids_for_item(work, user, item)

    assert first == again
    assert sorted(ids) == sorted(first.values())
    listed = {account["name"]: account for account in await accounts(user)}
    assert set(listed) == {"Renamed", "Plaid Checking"}
    assert listed["Renamed"]["balance"]["amount"] == "2.50"


async def test_a_balance_the_bank_stops_reporting_keeps_its_last_value() -> None:
    user = await new_user()
    item = await link_item(user, bank_account("a", balance="40.00"))
    async with unit_of_work() as work:
        await api.upsert_bank_accounts(work, user, item, [bank_account("a", balance=None)])

    [listed] = await accounts(user)

    assert listed["balance"]["amount"] == "40.00"


@pytest.mark.parametrize(
    "bad",
    [
        bank_account("b", type="brokerage"),
        bank_account("b", currency="ZZZ"),
        bank_account("b", balance="1.005"),
        bank_account("a", currency="EUR"),
        bank_account("", balance="1.00"),
    ],
    ids=["unknown type", "unknown currency", "inexact balance", "currency change", "no id"],
)
async def test_bank_accounts_breaking_the_contract_are_refused_changing_nothing(
    bad: api.BankAccount,
) -> None:
    user = await new_user()
    item = await link_item(user, bank_account("a", balance="5.00"))
    before = await accounts(user)

    with pytest.raises(api.BankDataError):
        async with unit_of_work() as work:
            await api.upsert_bank_accounts(
                work, user, item, [bank_account("a", balance="6.00", name="New name"), bad]
            )

    assert await accounts(user) == before


async def test_another_users_item_accounts_are_not_listed() -> None:
    owner, stranger = await new_user(), await new_user()
    item = await link_item(owner, bank_account("a"))

    async with unit_of_work() as work:
        assert await api.account_ids_for_item(work, stranger, item) == []
    assert await accounts(stranger) == []


async def test_invalid_accounts_are_refused_naming_the_field_and_nothing_is_stored() -> None:
    user = await new_user()
    cases = [
        ({"name": "   "}, "input.name"),
        ({"name": "x" * 101}, "input.name"),
        ({"name": "bad\x00name"}, "input.name"),
        ({"type": "piggybank"}, "input.type"),
        ({"currency": "XXX"}, "input.currency"),
        ({"currency": "dollars"}, "input.currency"),
        ({"openingBalance": "12.345"}, "input.openingBalance"),
        ({"openingBalance": "1.5", "currency": "JPY"}, "input.openingBalance"),
        ({"openingBalance": "12345678901234"}, "input.openingBalance"),
    ]
    for change, field in cases:
        given = {"name": "Savings", "type": "savings", "currency": "USD", **change}
        assert await rejected_field(CREATE, {"input": given}, user_id=user) == field, change

    assert await accounts(user) == []


async def test_amounts_that_are_not_plain_decimals_are_refused_and_nothing_is_stored() -> None:
    user = await new_user()
    for amount in ("ten", "NaN", "Infinity", "1e3", "1,000.00", 12.5, True, ""):
        given = {"name": "Savings", "type": "savings", "currency": "USD", "openingBalance": amount}

        result = await execute(CREATE, {"input": given}, user_id=user)

        assert result.errors and result.data is None, amount
    assert await accounts(user) == []


async def test_accounts_need_a_signed_in_user() -> None:
    result = await execute("{ accounts { id } }", user_id=None)

    assert error_codes(result) == ["UNAUTHENTICATED"]
