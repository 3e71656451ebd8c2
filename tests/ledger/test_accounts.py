"""Accounts: manual and bank-linked, with exact balances."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from services.ledger import api
from shared.clock import today
from shared.db import unit_of_work
from tests.ledger.support import (
    accounts,
    add_transaction,
    bank_account,
    bank_transaction,
    category_ids,
    create_account,
    ingest,
    link_item,
    new_user,
    rejected_field,
    transaction_count,
)
from tests.support.factories import set_budget
from tests.support.graphql import data, error_codes, execute

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
    opening = await data(
        "query($id: ID!) { account(id: $id) { openingBalance { amount } } }",
        {"id": listed["id"]},
        user_id=user,
    )
    assert opening["account"]["openingBalance"] is None  # the bank's balance, not an opening


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
    cases: list[tuple[dict[str, Any], str]] = [
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


# --- editing ---------------------------------------------------------------------------------

UPDATE = """mutation($input: UpdateAccountInput!) {
  updateAccount(input: $input) {
    account { id name type institutionLabel balance { amount currency }
              openingBalance { amount currency } } } }"""


async def _update(user: uuid.UUID, **given: Any) -> dict[str, Any]:
    account: dict[str, Any] = (await data(UPDATE, {"input": given}, user_id=user))["updateAccount"][
        "account"
    ]
    return account


async def test_editing_an_account_changes_only_what_was_given() -> None:
    user = await new_user()
    account = await create_account(user, name="Everyday", opening_balance="10.00")
    await add_transaction(user, account["id"], "-2.50")

    renamed = await _update(user, id=account["id"], name="  Joint  ", institutionLabel="Co-op")
    rebalanced = await _update(user, id=account["id"], openingBalance="100.01", type="SAVINGS")

    assert renamed["name"] == "Joint"
    assert renamed["institutionLabel"] == "Co-op"
    assert renamed["balance"] == {"amount": "7.50", "currency": "USD"}
    assert renamed["openingBalance"] == {"amount": "10.00", "currency": "USD"}
    assert rebalanced == {
        "id": account["id"],
        "name": "Joint",
        "type": "SAVINGS",
        "institutionLabel": "Co-op",
        "balance": {"amount": "97.51", "currency": "USD"},
        "openingBalance": {"amount": "100.01", "currency": "USD"},
    }


async def test_an_institution_label_is_given_at_creation_and_removed_with_null() -> None:
    user = await new_user()
    created = await data(
        """mutation($input: CreateAccountInput!) {
             createAccount(input: $input) { account { id institutionLabel } } }""",
        {"input": {"name": "Pot", "type": "CASH", "currency": "EUR", "institutionLabel": "Home"}},
        user_id=user,
    )
    account = created["createAccount"]["account"]

    removed = await _update(user, id=account["id"], institutionLabel=None)

    assert account["institutionLabel"] == "Home"
    assert removed["institutionLabel"] is None


async def test_bad_account_edits_are_refused_naming_the_field_and_nothing_changes() -> None:
    user = await new_user()
    account = await create_account(user, name="Everyday", opening_balance="5.00")
    cases: list[tuple[dict[str, Any], str]] = [
        ({"name": None}, "input.name"),
        ({"name": "  "}, "input.name"),
        ({"name": "x" * 101}, "input.name"),
        ({"type": None}, "input.type"),
        ({"openingBalance": None}, "input.openingBalance"),
        ({"openingBalance": "1.001"}, "input.openingBalance"),
        ({"openingBalance": "12345678901234"}, "input.openingBalance"),
        ({"institutionLabel": "y" * 101}, "input.institutionLabel"),
        # A good change beside a bad one: neither is stored.
        ({"name": "Fine", "institutionLabel": "bad\x00label"}, "input.institutionLabel"),
        ({"id": "not-an-id"}, "input.id"),
    ]
    for change, field in cases:
        given = {"input": {"id": account["id"], **change}}
        assert await rejected_field(UPDATE, given, user_id=user) == field, change

    [unchanged] = await accounts(user)
    assert unchanged["name"] == "Everyday"
    assert unchanged["balance"]["amount"] == "5.00"


async def test_a_linked_accounts_bank_fields_are_refused_but_its_label_is_the_users() -> None:
    user = await new_user()
    item = await link_item(user, bank_account("acc-1", balance="50.00"))
    [linked] = await accounts(user)
    for change, field in (
        ({"name": "Mine"}, "input.name"),
        ({"type": "SAVINGS"}, "input.type"),
        ({"openingBalance": "1.00"}, "input.openingBalance"),
    ):
        result = await execute(UPDATE, {"input": {"id": linked["id"], **change}}, user_id=user)
        assert result.errors is not None and len(result.errors) == 1
        assert (result.errors[0].extensions or {}).get("field") == field
        assert "comes from the linked bank" in result.errors[0].message

    await _update(user, id=linked["id"], institutionLabel="Platypus")
    async with unit_of_work() as work:  # the next sync reports the account again
        await api.upsert_bank_accounts(work, user, item, [bank_account("acc-1", balance="60")])

    [synced] = (await data("{ accounts { name institutionLabel } }", user_id=user))["accounts"]
    assert synced == {"name": "Plaid Checking", "institutionLabel": "Platypus"}


async def test_editing_another_users_account_is_not_found_and_changes_nothing() -> None:
    owner, intruder = await new_user(), await new_user()
    account = await create_account(owner, name="Mine")

    result = await execute(UPDATE, {"input": {"id": account["id"], "name": "Ha"}}, user_id=intruder)

    assert error_codes(result) == ["NOT_FOUND"]
    assert [a["name"] for a in await accounts(owner)] == ["Mine"]


# --- closing and reopening -------------------------------------------------------------------

CLOSE = """mutation($input: CloseAccountInput!) {
  closeAccount(input: $input) { account { id closedAt closedOn } } }"""
REOPEN = """mutation($id: ID!) {
  reopenAccount(input: {id: $id}) { account { id closedAt closedOn } } }"""
LISTED = "query($all: Boolean) { accounts(includeClosed: $all) { name closedOn } }"
NET_WORTH = """query($from: Date!, $to: Date!) {
  netWorth(from: $from, to: $to) { date amount { amount currency } } }"""


async def _close(user: uuid.UUID, account_id: str, day: str | None = None) -> dict[str, Any]:
    given = {"id": account_id, "date": day}
    closed: dict[str, Any] = (await data(CLOSE, {"input": given}, user_id=user))["closeAccount"][
        "account"
    ]
    return closed


async def _names(user: uuid.UUID, include_closed: bool | None = None) -> list[str]:
    listed = (await data(LISTED, {"all": include_closed}, user_id=user))["accounts"]
    return [account["name"] for account in listed]


async def test_a_closed_account_keeps_its_history_but_leaves_the_list_and_takes_no_entries() -> (
    None
):
    user = await new_user()
    old = await create_account(user, name="Old card", opening_balance="0")
    await create_account(user, name="Everyday")
    await add_transaction(user, old["id"], "-12.00", date="2026-01-05")

    closed = await _close(user, old["id"], "2026-01-31")
    refused = await rejected_field(
        """mutation($i: CreateTransactionInput!) { createTransaction(input: $i) {
             transaction { id } } }""",
        {"i": {"accountId": old["id"], "date": "2026-02-01", "amount": "-1", "description": "x"}},
        user_id=user,
    )

    assert closed["closedOn"] == "2026-01-31" and closed["closedAt"] is not None
    assert refused == "input.accountId"
    assert await _names(user) == ["Everyday"]
    assert await _names(user, include_closed=False) == ["Everyday"]
    assert await _names(user, include_closed=True) == ["Old card", "Everyday"]
    assert await transaction_count(user) == 1
    found = await data(
        "query($id: ID!) { account(id: $id) { closedOn balance { amount } } }",
        {"id": old["id"]},
        user_id=user,
    )
    assert found["account"] == {"closedOn": "2026-01-31", "balance": {"amount": "-12.00"}}


async def test_net_worth_counts_a_closed_account_up_to_the_day_before_it_closed() -> None:
    user = await new_user()
    savings = await create_account(user, name="Old savings", opening_balance="100.00")
    await create_account(user, name="Everyday", opening_balance="50.00")
    await add_transaction(user, savings["id"], "-10.00", date="2026-01-10")
    await add_transaction(user, savings["id"], "0.25", date="2026-02-14")
    period = {"from": "2026-01-01", "to": "2026-03-31"}
    before = (await data(NET_WORTH, period, user_id=user))["netWorth"]

    await _close(user, savings["id"], "2026-02-15")
    after = (await data(NET_WORTH, period, user_id=user))["netWorth"]
    await data(REOPEN, {"id": savings["id"]}, user_id=user)
    reopened = (await data(NET_WORTH, period, user_id=user))["netWorth"]

    assert [point["amount"]["amount"] for point in before] == ["140.00", "140.25", "140.25"]
    assert [point["amount"]["amount"] for point in after] == ["140.00", "50.00", "50.00"]
    assert reopened == before
    closed_on_a_point = await _close(user, savings["id"], "2026-02-14")
    assert closed_on_a_point["closedOn"] == "2026-02-14"
    points = await data(NET_WORTH, {"from": "2026-02-13", "to": "2026-02-14"}, user_id=user)
    assert [p["amount"]["amount"] for p in points["netWorth"]] == ["50.00"]


async def test_closing_twice_keeps_the_first_close_and_reopening_takes_entries_again() -> None:
    user = await new_user()
    account = await create_account(user, name="Wallet")

    first = await _close(user, account["id"])
    again = await _close(user, account["id"], "2026-01-01")
    reopened = (await data(REOPEN, {"id": account["id"]}, user_id=user))["reopenAccount"]
    still_open = (await data(REOPEN, {"id": account["id"]}, user_id=user))["reopenAccount"]
    await add_transaction(user, account["id"], "-1.00")

    assert first["closedOn"] == today().isoformat()
    assert again == first
    assert (
        reopened["account"]
        == still_open["account"]
        == {
            "id": account["id"],
            "closedAt": None,
            "closedOn": None,
        }
    )
    assert await transaction_count(user) == 1


async def test_a_close_date_in_the_future_or_before_the_last_transaction_is_refused() -> None:
    user = await new_user()
    account = await create_account(user)
    await add_transaction(user, account["id"], "-1.00", date="2026-03-10")
    tomorrow = (today() + dt.timedelta(days=1)).isoformat()

    for day, field in (
        (tomorrow, "input.date"),
        ("2026-03-09", "input.date"),
        ("1899-12-31", "input.date"),
    ):
        given = {"input": {"id": account["id"], "date": day}}
        assert await rejected_field(CLOSE, given, user_id=user) == field, day
    assert await rejected_field(CLOSE, {"input": {"id": "x"}}, user_id=user) == "input.id"

    assert await _names(user) == ["Everyday"]


async def test_closing_or_reopening_another_users_account_is_not_found() -> None:
    owner, intruder = await new_user(), await new_user()
    account = await create_account(owner, name="Mine")

    closing = await execute(CLOSE, {"input": {"id": account["id"]}}, user_id=intruder)
    reopening = await execute(REOPEN, {"id": account["id"]}, user_id=intruder)

    assert error_codes(closing) == error_codes(reopening) == ["NOT_FOUND"]
    assert await _names(owner) == ["Mine"]


# --- deleting --------------------------------------------------------------------------------

DELETE = """mutation($id: ID!) {
  deleteAccount(input: {id: $id}) { deletedAccountId deletedTransactionCount } }"""


async def test_deleting_a_manual_account_removes_its_history_and_announces_it(
    announcements: list[dict[str, Any]],
) -> None:
    user = await new_user()
    dining = (await category_ids(user))["Dining"]
    doomed = await create_account(user, name="Doomed")
    kept = await create_account(user, name="Kept")
    gone = [
        await add_transaction(user, doomed["id"], "-4.00", date="2026-02-03", category_id=dining),
        await add_transaction(user, doomed["id"], "-6.00", date="2026-03-04", category_id=dining),
    ]
    await add_transaction(user, kept["id"], "-1.00", date="2026-03-05", category_id=dining)
    await set_budget(user, dining, "2026-03", "20")
    await data(
        """mutation($id: ID!) { reconcileAccount(input: {id: $id, statementDate: "2026-03-31",
             statementBalance: "-10.00"}) { reconciliation { difference { amount } } } }""",
        {"id": doomed["id"]},
        user_id=user,
    )
    announcements.clear()

    deleted = (await data(DELETE, {"id": doomed["id"]}, user_id=user))["deleteAccount"]

    assert deleted == {"deletedAccountId": doomed["id"], "deletedTransactionCount": 2}
    assert await _names(user, include_closed=True) == ["Kept"]
    assert await transaction_count(user) == 1
    gone_ids = sorted(str(_uuid_of(row["id"])) for row in gone)
    assert announcements == [
        {"user_id": str(user), "transaction_ids": gone_ids, "months": ["2026-02", "2026-03"]}
    ]
    [budget] = (await data('{ budgets(month: "2026-03") { spent { amount } } }', user_id=user))[
        "budgets"
    ]
    assert budget["spent"]["amount"] == "1.00"
    missing = await execute(
        "query($id: ID!) { account(id: $id) { id } }", {"id": doomed["id"]}, user_id=user
    )
    assert error_codes(missing) == ["NOT_FOUND"]


def _uuid_of(global_id: str) -> uuid.UUID:
    from shared.ids import decode_global_id

    return decode_global_id(global_id)[1]


async def test_a_linked_account_or_one_funding_a_goal_is_not_deleted() -> None:
    user = await new_user()
    await link_item(user, bank_account("acc-1"))
    [linked] = await accounts(user)
    funding = await create_account(user, name="Funding")
    await add_transaction(user, funding["id"], "5.00")
    await data(
        """mutation($a: ID!) { createGoal(input: {name: "Bike", targetAmount: "100",
             funding: ACCOUNT, accountId: $a}) { goal { id } } }""",
        {"a": funding["id"]},
        user_id=user,
    )

    for account_id, says in ((linked["id"], "linked bank"), (funding["id"], "'Bike'")):
        result = await execute(DELETE, {"id": account_id}, user_id=user)
        assert result.errors is not None
        assert (result.errors[0].extensions or {}).get("field") == "input.id"
        assert says in result.errors[0].message

    assert await _names(user) == ["Plaid Checking", "Funding"]
    assert await transaction_count(user) == 1


async def test_deleting_another_users_account_is_not_found_and_deletes_nothing() -> None:
    owner, intruder = await new_user(), await new_user()
    account = await create_account(owner, name="Mine")
    await add_transaction(owner, account["id"], "-3.00")

    result = await execute(DELETE, {"id": account["id"]}, user_id=intruder)

    assert error_codes(result) == ["NOT_FOUND"]
    assert await _names(owner) == ["Mine"]
    assert await transaction_count(owner) == 1
