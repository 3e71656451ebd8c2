"""Reconciling an account against a bank statement: the user marks what the statement shows as
cleared and sees, exactly and in the account's currency, what is left to find."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from shared.clock import today
from shared.db import count_statements
from shared.ids import encode_id
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

RECONCILE = """mutation($input: ReconcileAccountInput!) {
  reconcileAccount(input: $input) {
    newlyClearedCount
    reconciliation { statementDate statementBalance { amount currency }
      clearedBalance { amount currency } difference { amount currency } balanced reconciledAt }
    account { id clearedBalance { amount currency } } } }"""
SET_CLEARED = """mutation($ids: [ID!]!, $cleared: Boolean!) {
  setTransactionsCleared(input: {ids: $ids, cleared: $cleared}) {
    transactions { id cleared clearedAt } } }"""
ACCOUNT = """query($id: ID!) { account(id: $id) {
  balance { amount } clearedBalance { amount currency } lastReconciledAt
  lastReconciliation { statementDate difference { amount } balanced reconciledAt } } }"""
CLEARED = """query($id: ID!) { transactions(filter: {accountId: $id}) {
  edges { node { description cleared } } } }"""


async def _reconcile(user: uuid.UUID, account_id: str, **given: Any) -> dict[str, Any]:
    variables = {"input": {"id": account_id, "statementDate": "2026-03-31", **given}}
    result: dict[str, Any] = (await data(RECONCILE, variables, user_id=user))["reconcileAccount"]
    return result


async def _account(user: uuid.UUID, account_id: str) -> dict[str, Any]:
    found: dict[str, Any] = (await data(ACCOUNT, {"id": account_id}, user_id=user))["account"]
    return found


async def _cleared(user: uuid.UUID, account_id: str) -> dict[str, bool]:
    edges = (await data(CLEARED, {"id": account_id}, user_id=user))["transactions"]["edges"]
    return {edge["node"]["description"]: edge["node"]["cleared"] for edge in edges}


async def test_a_statement_that_matches_clears_what_it_shows_and_balances() -> None:
    user = await new_user()
    account = await create_account(user, opening_balance="100.00")
    await add_transaction(user, account["id"], "-20.00", date="2026-03-01", description="Rent")
    await add_transaction(user, account["id"], "-5.55", date="2026-03-31", description="Lunch")
    await add_transaction(user, account["id"], "1000.00", date="2026-04-02", description="Pay")

    done = await _reconcile(user, account["id"], statementBalance="74.45")

    assert done["newlyClearedCount"] == 2
    reconciliation = done["reconciliation"]
    assert reconciliation["statementDate"] == "2026-03-31"
    assert reconciliation["statementBalance"] == {"amount": "74.45", "currency": "USD"}
    assert reconciliation["clearedBalance"] == {"amount": "74.45", "currency": "USD"}
    assert reconciliation["difference"] == {"amount": "0.00", "currency": "USD"}
    assert reconciliation["balanced"] is True
    assert await _cleared(user, account["id"]) == {"Rent": True, "Lunch": True, "Pay": False}
    shown = await _account(user, account["id"])
    assert shown["balance"] == {"amount": "1074.45"}
    assert shown["clearedBalance"] == {"amount": "74.45", "currency": "USD"}
    assert shown["lastReconciledAt"] == reconciliation["reconciledAt"]
    assert shown["lastReconciliation"]["balanced"] is True


async def test_a_statement_that_differs_shows_exactly_what_is_left_to_find() -> None:
    user = await new_user()
    account = await create_account(user, currency="JPY", opening_balance="1000")
    await add_transaction(user, account["id"], "-300", date="2026-03-02", description="Tea")
    balanced = await _reconcile(user, account["id"], statementBalance="700")
    await add_transaction(user, account["id"], "-45", date="2026-04-03", description="Bun")

    short = await _reconcile(
        user, account["id"], statementDate="2026-04-30", statementBalance="650"
    )

    assert short["reconciliation"]["clearedBalance"] == {"amount": "655", "currency": "JPY"}
    assert short["reconciliation"]["difference"] == {"amount": "-5", "currency": "JPY"}
    assert short["reconciliation"]["balanced"] is False
    shown = await _account(user, account["id"])
    # The last balanced reconciliation is still the first; the latest is the one that differs.
    assert shown["lastReconciledAt"] == balanced["reconciliation"]["reconciledAt"]
    assert shown["lastReconciliation"] == {
        "statementDate": "2026-04-30",
        "difference": {"amount": "-5"},
        "balanced": False,
        "reconciledAt": short["reconciliation"]["reconciledAt"],
    }


async def test_reconciling_named_transactions_clears_only_those() -> None:
    user = await new_user()
    account = await create_account(user)
    rent = await add_transaction(
        user, account["id"], "-20.00", date="2026-03-01", description="Rent"
    )
    await add_transaction(user, account["id"], "-5.00", date="2026-03-02", description="Lunch")

    none_named = await _reconcile(user, account["id"], statementBalance="-20.00", transactionIds=[])
    named = await _reconcile(
        user, account["id"], statementBalance="-20.00", transactionIds=[rent["id"], rent["id"]]
    )
    again = await _reconcile(
        user, account["id"], statementBalance="-20.00", transactionIds=[rent["id"]]
    )

    assert none_named["newlyClearedCount"] == 0
    assert none_named["reconciliation"]["difference"]["amount"] == "-20.00"
    assert named["newlyClearedCount"] == 1
    assert named["reconciliation"]["balanced"] is True
    assert again["newlyClearedCount"] == 0
    assert await _cleared(user, account["id"]) == {"Rent": True, "Lunch": False}


async def test_transactions_are_marked_cleared_and_uncleared_by_hand() -> None:
    user = await new_user()
    account = await create_account(user, opening_balance="10.00")
    coffee = await add_transaction(user, account["id"], "-3.20", description="Coffee")

    cleared = (await data(SET_CLEARED, {"ids": [coffee["id"]], "cleared": True}, user_id=user))[
        "setTransactionsCleared"
    ]["transactions"]
    with_coffee = (await _account(user, account["id"]))["clearedBalance"]
    uncleared = (await data(SET_CLEARED, {"ids": [coffee["id"]], "cleared": False}, user_id=user))[
        "setTransactionsCleared"
    ]["transactions"]
    without = (await _account(user, account["id"]))["clearedBalance"]

    assert cleared[0]["cleared"] is True and cleared[0]["clearedAt"] is not None
    assert uncleared == [{"id": coffee["id"], "cleared": False, "clearedAt": None}]
    assert with_coffee == {"amount": "6.80", "currency": "USD"}
    assert without == {"amount": "10.00", "currency": "USD"}


async def test_a_pending_bank_transaction_cannot_be_cleared_and_says_why() -> None:
    user = await new_user()
    item = await link_item(user, bank_account("acc-1", balance="500.00"))
    await ingest(
        user,
        item,
        added=(
            bank_transaction("posted", "-25.00", description="Posted", date=dt.date(2026, 3, 3)),
            bank_transaction("held", "-7.00", description="Held", pending=True),
        ),
    )
    [linked] = await accounts(user)
    ids = {
        edge["node"]["description"]: edge["node"]["id"]
        for edge in (
            await data("{ transactions { edges { node { id description } } } }", user_id=user)
        )["transactions"]["edges"]
    }

    by_hand = await execute(SET_CLEARED, {"ids": [ids["Held"]], "cleared": True}, user_id=user)
    by_statement = await execute(
        RECONCILE,
        {"input": {"id": linked["id"], "statementDate": "2026-03-31", "statementBalance": "1",
                   "transactionIds": [ids["Posted"], ids["Held"]]}},
        user_id=user,
    )  # fmt: skip
    everything_posted = await _reconcile(user, linked["id"], statementBalance="507.00")

    for result, field in ((by_hand, "input.ids"), (by_statement, "input.transactionIds")):
        assert result.errors is not None and len(result.errors) == 1
        assert (result.errors[0].extensions or {}).get("field") == field
        assert "pending" in result.errors[0].message and "posted" in result.errors[0].message
    # The bank's balance, less the pending transaction that no statement shows yet.
    assert everything_posted["newlyClearedCount"] == 1
    assert everything_posted["account"]["clearedBalance"] == {"amount": "507.00", "currency": "USD"}
    assert everything_posted["reconciliation"]["balanced"] is True
    assert await _cleared(user, linked["id"]) == {"Posted": True, "Held": False}


async def test_bad_statements_are_refused_naming_the_field_and_change_nothing() -> None:
    user = await new_user()
    account = await create_account(user)
    other = await create_account(user, name="Other")
    elsewhere = await add_transaction(user, other["id"], "-1.00")
    mine = await add_transaction(user, account["id"], "-2.00")
    tomorrow = (today() + dt.timedelta(days=1)).isoformat()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"statementDate": tomorrow}, "input.statementDate"),
        ({"statementDate": "1850-01-01"}, "input.statementDate"),
        ({"statementBalance": "1.001"}, "input.statementBalance"),
        ({"statementBalance": "12345678901234"}, "input.statementBalance"),
        ({"transactionIds": [mine["id"], "garbage"]}, "input.transactionIds"),
        ({"transactionIds": [mine["id"], elsewhere["id"]]}, "input.transactionIds"),
        ({"id": "garbage"}, "input.id"),
    ]
    for change, field in cases:
        given = {"id": account["id"], "statementDate": "2026-03-31", "statementBalance": "-2.00"}
        assert await rejected_field(RECONCILE, {"input": {**given, **change}}, user_id=user) == (
            field
        ), change
    too_many = [encode_id("Transaction", uuid.uuid4()) for _ in range(501)]
    assert await rejected_field(SET_CLEARED, {"ids": too_many, "cleared": True}, user_id=user) == (
        "input.ids"
    )

    shown = await _account(user, account["id"])
    assert shown["lastReconciliation"] is None and shown["lastReconciledAt"] is None
    assert await _cleared(user, account["id"]) == {"Corner shop": False}


async def test_another_users_account_and_transactions_are_not_found_and_stay_uncleared() -> None:
    owner, intruder = await new_user(), await new_user()
    account = await create_account(owner)
    owned = await add_transaction(owner, account["id"], "-9.00")
    intruders = await create_account(intruder)
    statement = {"statementDate": "2026-03-31", "statementBalance": "0"}

    attempts = [
        await execute(RECONCILE, {"input": {"id": account["id"], **statement}}, user_id=intruder),
        await execute(
            RECONCILE,
            {"input": {"id": intruders["id"], "transactionIds": [owned["id"]], **statement}},
            user_id=intruder,
        ),
        await execute(SET_CLEARED, {"ids": [owned["id"]], "cleared": True}, user_id=intruder),
    ]

    assert [error_codes(result) for result in attempts] == [["NOT_FOUND"]] * 3
    assert await _cleared(owner, account["id"]) == {"Corner shop": False}
    assert (await _account(owner, account["id"]))["lastReconciliation"] is None


async def test_listing_reconciled_accounts_costs_the_same_queries_for_any_number() -> None:
    user = await new_user()
    query = """{ accounts { balance { amount } clearedBalance { amount } lastReconciledAt
      lastReconciliation { difference { amount } } } }"""

    async def statements_for_accounts(count: int) -> int:
        while len(await accounts(user)) < count:
            account = await create_account(user, opening_balance="1.00")
            await add_transaction(user, account["id"], "-0.50")
            await _reconcile(user, account["id"], statementBalance="0.50")
        async with count_statements() as statements:
            listed = (await data(query, user_id=user))["accounts"]
        assert len(listed) == count
        return len(statements)

    one, five = await statements_for_accounts(1), await statements_for_accounts(5)

    assert one == five
    # The accounts, their sums, their cleared sums, their reconciliations (two), and a BEGIN
    # for each of the four sessions.
    assert five <= 9
