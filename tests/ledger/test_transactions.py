"""Recording, editing and deleting transactions by hand."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from shared.ids import decode_id, encode_id
from shared.money import Money
from tests.ledger.support import (
    TRANSACTION_FIELDS,
    add_transaction,
    all_transactions,
    bank_account,
    bank_transaction,
    category_ids,
    create_account,
    ingest,
    link_item,
    new_user,
    rejected_field,
    transaction_count,
    views,
)
from tests.support.graphql import data, error_codes, execute

CREATE = f"""mutation($input: CreateTransactionInput!) {{
  createTransaction(input: $input) {{ transaction {{ {TRANSACTION_FIELDS} }} }} }}"""
UPDATE = f"""mutation($input: UpdateTransactionInput!) {{
  updateTransaction(input: $input) {{ transaction {{ {TRANSACTION_FIELDS} }} }} }}"""
DELETE = """mutation($id: ID!) {
  deleteTransaction(input: {id: $id}) { deletedTransactionId } }"""


async def test_a_recorded_transaction_carries_its_account_category_and_notes() -> None:
    user = await new_user()
    account = await create_account(user, name="Wallet", type="CASH", currency="EUR")
    groceries = (await category_ids(user))["Groceries"]

    created = await add_transaction(
        user,
        account["id"],
        "-23.40",
        date="2026-02-28",
        description="  Farmers market  ",
        category_id=groceries,
        notes="apples",
    )

    assert created["amount"] == {"amount": "-23.40", "currency": "EUR"}
    assert created["date"] == "2026-02-28"
    assert created["description"] == "Farmers market"
    assert created["pending"] is False
    assert created["notes"] == "apples"
    assert created["account"] == {"id": account["id"], "name": "Wallet"}
    assert created["category"] == {"id": groceries, "name": "Groceries", "group": "Food"}


async def test_every_change_is_announced_to_the_notifier_after_commit(
    announcements: list[dict[str, Any]],
) -> None:
    user = await new_user()
    account = await create_account(user)
    created = await add_transaction(user, account["id"], "-5.00", date="2026-01-31")
    ledger_id = str(decode_id("Transaction", created["id"]))

    await data(UPDATE, {"input": {"id": created["id"], "date": "2026-02-01"}}, user_id=user)
    await data(DELETE, {"id": created["id"]}, user_id=user)

    assert announcements == [
        {"user_id": str(user), "transaction_ids": [ledger_id], "months": ["2026-01"]},
        {"user_id": str(user), "transaction_ids": [ledger_id], "months": ["2026-01", "2026-02"]},
        {"user_id": str(user), "transaction_ids": [ledger_id], "months": ["2026-02"]},
    ]


async def test_an_edit_that_changes_nothing_announces_nothing(
    announcements: list[dict[str, Any]],
) -> None:
    user = await new_user()
    account = await create_account(user)
    created = await add_transaction(user, account["id"], "-5.00", notes="same")
    announcements.clear()

    await data(UPDATE, {"input": {"id": created["id"]}}, user_id=user)
    await data(UPDATE, {"input": {"id": created["id"], "notes": "same"}}, user_id=user)

    assert announcements == []


async def test_a_rejected_request_announces_nothing(announcements: list[dict[str, Any]]) -> None:
    user = await new_user()
    account = await create_account(user)
    given = {"accountId": account["id"], "date": "2026-01-01", "amount": "1.001"}

    await execute(CREATE, {"input": {**given, "description": "x"}}, user_id=user)

    assert announcements == []


async def test_editing_changes_only_the_given_fields_and_null_clears_category_and_notes() -> None:
    user = await new_user()
    account = await create_account(user)
    categories = await category_ids(user)
    created = await add_transaction(
        user, account["id"], "-9.99", category_id=categories["Dining"], notes="lunch"
    )

    edited = (
        await data(
            UPDATE,
            {"input": {"id": created["id"], "amount": "-10.01", "description": "Lunch"}},
            user_id=user,
        )
    )["updateTransaction"]["transaction"]
    cleared = (
        await data(
            UPDATE,
            {"input": {"id": created["id"], "categoryId": None, "notes": None}},
            user_id=user,
        )
    )["updateTransaction"]["transaction"]

    assert edited["amount"]["amount"] == "-10.01"
    assert edited["description"] == "Lunch"
    assert edited["date"] == created["date"]
    assert edited["category"]["name"] == "Dining"
    assert edited["notes"] == "lunch"
    assert cleared["category"] is None
    assert cleared["notes"] is None
    assert cleared["amount"]["amount"] == "-10.01"


async def test_a_deleted_transaction_is_gone_and_the_balance_follows() -> None:
    user = await new_user()
    account = await create_account(user, opening_balance="10.00")
    kept = await add_transaction(user, account["id"], "-1.00")
    doomed = await add_transaction(user, account["id"], "-2.00")

    assert (await data(DELETE, {"id": doomed["id"]}, user_id=user))["deleteTransaction"][
        "deletedTransactionId"
    ]

    listed = await data(
        "{ transactions { edges { node { id } } } accounts { balance { amount } } }", user_id=user
    )
    assert [edge["node"]["id"] for edge in listed["transactions"]["edges"]] == [kept["id"]]
    assert listed["accounts"][0]["balance"]["amount"] == "9.00"


async def test_a_bank_transactions_category_and_notes_are_editable_but_not_its_amount() -> None:
    user = await new_user()
    item = await link_item(user, bank_account())
    await ingest(user, item, added=(bank_transaction("t1", "-12.00"),))
    categories = await category_ids(user)
    [node] = (await data("{ transactions { edges { node { id } } } }", user_id=user))[
        "transactions"
    ]["edges"]
    bank_id = node["node"]["id"]

    edited = await data(
        UPDATE,
        {"input": {"id": bank_id, "categoryId": categories["Health"], "notes": "pharmacy"}},
        user_id=user,
    )
    for field, value in (("amount", "-1.00"), ("date", "2026-01-01"), ("description", "x")):
        rejected = await rejected_field(
            UPDATE, {"input": {"id": bank_id, field: value}}, user_id=user
        )
        assert rejected == f"input.{field}"
    assert await rejected_field(DELETE, {"id": bank_id}, user_id=user) == "id"

    assert edited["updateTransaction"]["transaction"]["category"]["name"] == "Health"
    assert edited["updateTransaction"]["transaction"]["notes"] == "pharmacy"
    assert edited["updateTransaction"]["transaction"]["amount"]["amount"] == "-12.00"
    assert await transaction_count(user) == 1


async def test_invalid_transactions_are_refused_naming_the_field_and_nothing_is_stored() -> None:
    user = await new_user()
    account = await create_account(user)
    yen = await create_account(user, name="Tokyo", currency="JPY")
    valid = {
        "accountId": account["id"],
        "date": "2026-03-01",
        "amount": "-1.00",
        "description": "ok",
    }
    cases: list[tuple[dict[str, Any], str]] = [
        ({"amount": "1.001"}, "input.amount"),
        ({"amount": "-0.005"}, "input.amount"),
        ({"amount": "99999999999999.00"}, "input.amount"),
        ({"accountId": yen["id"], "amount": "100.5"}, "input.amount"),
        ({"description": ""}, "input.description"),
        ({"description": "   "}, "input.description"),
        ({"description": "x" * 501}, "input.description"),
        ({"description": "bell\x07"}, "input.description"),
        ({"notes": "n" * 2001}, "input.notes"),
        ({"date": "1899-12-31"}, "input.date"),
        ({"date": "2101-01-01"}, "input.date"),
        ({"accountId": "not-an-id"}, "input.accountId"),
        ({"categoryId": "%%%"}, "input.categoryId"),
    ]
    for change, field in cases:
        assert await rejected_field(CREATE, {"input": {**valid, **change}}, user_id=user) == field

    assert await transaction_count(user) == 0


async def test_invalid_edits_are_refused_and_leave_the_transaction_as_it_was() -> None:
    user = await new_user()
    account = await create_account(user)
    created = await add_transaction(user, account["id"], "-4.20", notes="keep")
    cases: list[tuple[dict[str, Any], str]] = [
        ({"notes": "changed", "amount": "0.001"}, "input.amount"),
        ({"amount": None}, "input.amount"),
        ({"date": None}, "input.date"),
        ({"description": None}, "input.description"),
        ({"notes": "changed", "description": "y" * 501}, "input.description"),
        ({"notes": "z" * 2001}, "input.notes"),
    ]
    for change, field in cases:
        assert (
            await rejected_field(UPDATE, {"input": {"id": created["id"], **change}}, user_id=user)
            == field
        )

    [after] = (
        await data(
            f"{{ transactions {{ edges {{ node {{ {TRANSACTION_FIELDS} }} }} }} }}", user_id=user
        )
    )["transactions"]["edges"]
    assert after["node"] == created


async def test_malformed_amounts_are_refused_and_nothing_is_stored() -> None:
    user = await new_user()
    account = await create_account(user)
    for amount in ("abc", "NaN", "-Infinity", "1E+2", "0x10", 1.5, None):
        given = {
            "accountId": account["id"],
            "date": "2026-03-01",
            "description": "x",
            "amount": amount,
        }

        result = await execute(CREATE, {"input": given}, user_id=user)

        assert result.errors and result.data is None, amount
    assert await transaction_count(user) == 0


async def test_another_users_account_category_or_transaction_is_not_found() -> None:
    owner, intruder = await new_user(), await new_user()
    account = await create_account(owner)
    owners_category = (await category_ids(owner))["Rent"]
    owned = await add_transaction(owner, account["id"], "-800.00", category_id=owners_category)
    intruders_account = await create_account(intruder)
    attempts = [
        (
            CREATE,
            {
                "input": {
                    "accountId": account["id"],
                    "date": "2026-01-01",
                    "amount": "1.00",
                    "description": "x",
                }
            },
        ),
        (
            CREATE,
            {
                "input": {
                    "accountId": intruders_account["id"],
                    "date": "2026-01-01",
                    "amount": "1.00",
                    "description": "x",
                    "categoryId": owners_category,
                }
            },
        ),
        (UPDATE, {"input": {"id": owned["id"], "notes": "mine now"}}),
        (UPDATE, {"input": {"id": owned["id"]}}),
        (DELETE, {"id": owned["id"]}),
    ]
    intruders_category = (await category_ids(intruder))["Rent"]
    own = await add_transaction(intruder, intruders_account["id"], "-1.00")
    attempts.append((UPDATE, {"input": {"id": own["id"], "categoryId": owners_category}}))
    attempts.append((UPDATE, {"input": {"id": own["id"], "categoryId": account["id"]}}))

    for query, variables in attempts:
        result = await execute(query, variables, user_id=intruder)
        assert error_codes(result) == ["NOT_FOUND"], variables

    still = await data(
        f"{{ transactions {{ edges {{ node {{ {TRANSACTION_FIELDS} }} }} }} }}", user_id=owner
    )
    assert [edge["node"] for edge in still["transactions"]["edges"]] == [owned]
    assert intruders_category != owners_category


async def test_transactions_by_ids_returns_only_the_users_own() -> None:
    owner, other = await new_user(), await new_user()
    item = await link_item(owner, bank_account())
    await ingest(
        owner,
        item,
        added=(bank_transaction("t1", "-7.77", hint="TRANSPORTATION_TAXIS_AND_RIDE_SHARES"),),
    )
    [row] = await all_transactions(owner)
    ledger_id = decode_id("Transaction", row["id"])
    missing = uuid.uuid4()

    [view] = await views(owner, [ledger_id, missing, ledger_id])

    assert view.id == ledger_id
    assert view.amount == Money(-777, "USD")
    assert view.category_name == "Transport"
    assert view.category_id == decode_id("Category", row["category"]["id"])
    assert view.account_id == decode_id("Account", row["account"]["id"])
    assert view.pending is False
    assert view.date == dt.date(2026, 3, 5)
    assert await views(other, [ledger_id]) == []
    assert encode_id("Transaction", view.id) == row["id"]
