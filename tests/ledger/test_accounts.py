"""Accounts: manual and bank-linked, with exact balances."""

from __future__ import annotations

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
from tests.support.graphql import error_codes, execute

CREATE = """mutation($input: CreateAccountInput!) {
  createAccount(input: $input) {
    account { id name type currency balance { amount currency } } } }"""


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

    account = await create_account(user, currency="jpy", type="SAVINGS")

    assert account["currency"] == "JPY"
    assert account["type"] == "SAVINGS"
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
        given = {"name": "Savings", "type": "SAVINGS", "currency": "USD", **change}
        assert await rejected_field(CREATE, {"input": given}, user_id=user) == field, change

    assert await accounts(user) == []


async def test_amounts_that_are_not_plain_decimals_are_refused_and_nothing_is_stored() -> None:
    user = await new_user()
    for amount in ("ten", "NaN", "Infinity", "1e3", "1,000.00", 12.5, True, ""):
        given = {"name": "Savings", "type": "SAVINGS", "currency": "USD", "openingBalance": amount}

        result = await execute(CREATE, {"input": given}, user_id=user)

        assert result.errors and result.data is None, amount
    assert await accounts(user) == []


async def test_accounts_need_a_signed_in_user() -> None:
    result = await execute("{ accounts { id } }", user_id=None)

    assert error_codes(result) == ["UNAUTHENTICATED"]
