"""Transfers between the user's own accounts: made by hand or matched from two bank
transactions, confirmed or undone; balances see them, spending, income and budgets never do."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from shared.ids import decode_id
from tests.ledger.support import (
    accounts,
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
)
from tests.support.factories import set_budget
from tests.support.graphql import data, error_codes, execute

CREATE = """mutation($input: CreateTransferInput!) { createTransfer(input: $input) {
  outflow { id amount { amount currency } description account { name }
            transfer { counterpart { id } } }
  inflow { id amount { amount currency } description account { name }
           transfer { counterpart { id } } } } }"""
CANDIDATES = """query($from: Date, $to: Date) { transferCandidates(from: $from, to: $to) {
  outflow { id description } inflow { id description } daysApart } }"""
LINK = """mutation($input: LinkTransferInput!) { linkTransfer(input: $input) {
  outflow { id transfer { counterpart { id } } }
  inflow { id transfer { counterpart { id } } } } }"""
UNLINK = """mutation($input: UnlinkTransferInput!) { unlinkTransfer(input: $input) {
  transactions { id transfer { counterpart { id } } } } }"""
REPORTS = """query { spendingByCategory(from: "2026-03-01", to: "2026-03-31") {
    category { name } amount { amount } }
  cashFlow(from: "2026-03-01", to: "2026-03-31") { income { amount } expenses { amount } }
  budgets(month: "2026-03") { category { name } spent { amount } } }"""


def _transfer(frm: str, to: str, amount: str = "250.00", **more: Any) -> dict[str, Any]:
    return {"fromAccountId": frm, "toAccountId": to, "date": "2026-03-05", "amount": amount, **more}


async def _reports(user: uuid.UUID) -> dict[str, Any]:
    result = await data(REPORTS, user_id=user)
    [month] = result["cashFlow"]
    return {
        "spending": {
            r["category"]["name"]: r["amount"]["amount"] for r in result["spendingByCategory"]
        },
        "income": month["income"]["amount"],
        "expenses": month["expenses"]["amount"],
        "budgets": {b["category"]["name"]: b["spent"]["amount"] for b in result["budgets"]},
    }


async def test_a_transfer_by_hand_moves_balances_and_is_neither_spending_nor_income() -> None:
    user = await new_user()
    checking = await create_account(user, name="Checking", opening_balance="1000.00")
    savings = await create_account(user, name="Savings", type="SAVINGS")
    await add_transaction(user, checking["id"], "-40.00", date="2026-03-02")

    made = (await data(CREATE, {"input": _transfer(checking["id"], savings["id"])}, user_id=user))[
        "createTransfer"
    ]

    outflow, inflow = made["outflow"], made["inflow"]
    assert outflow["amount"] == {"amount": "-250.00", "currency": "USD"}
    assert inflow["amount"] == {"amount": "250.00", "currency": "USD"}
    assert outflow["description"] == "Transfer to Savings"
    assert inflow["description"] == "Transfer from Checking"
    assert outflow["transfer"] == {"counterpart": {"id": inflow["id"]}}
    assert inflow["transfer"] == {"counterpart": {"id": outflow["id"]}}
    balances = {a["name"]: a["balance"]["amount"] for a in await accounts(user)}
    assert balances == {"Checking": "710.00", "Savings": "250.00"}
    reports = await _reports(user)
    assert reports["income"] == "0.00"
    assert reports["expenses"] == "40.00"
    assert reports["spending"] == {}


async def test_a_transfer_between_currencies_takes_both_amounts() -> None:
    user = await new_user()
    checking = await create_account(user, name="Checking")
    euros = await create_account(user, name="Girokonto", currency="EUR")

    made = await data(
        CREATE,
        {"input": _transfer(checking["id"], euros["id"], "108.25", toAmount="100.00")},
        user_id=user,
    )

    assert made["createTransfer"]["inflow"]["amount"] == {"amount": "100.00", "currency": "EUR"}
    assert made["createTransfer"]["outflow"]["amount"] == {"amount": "-108.25", "currency": "USD"}


async def test_bad_transfers_are_refused_naming_the_field_and_nothing_is_stored() -> None:
    user = await new_user()
    checking = (await create_account(user, name="Checking"))["id"]
    savings = (await create_account(user, name="Savings"))["id"]
    euros = (await create_account(user, name="Girokonto", currency="EUR"))["id"]
    cases: list[tuple[dict[str, Any], str]] = [
        (_transfer(checking, checking), "input.toAccountId"),
        (_transfer(checking, savings, "0"), "input.amount"),
        (_transfer(checking, savings, "-5.00"), "input.amount"),
        (_transfer(checking, savings, "1.001"), "input.amount"),
        (_transfer(checking, savings, toAmount="249.00"), "input.toAmount"),
        (_transfer(checking, euros), "input.toAmount"),
        (_transfer(checking, euros, toAmount="-1.00"), "input.toAmount"),
        (_transfer(checking, savings, date="1899-01-01"), "input.date"),
        (_transfer(checking, savings, description=" "), "input.description"),
        (_transfer(checking, savings, notes="n" * 2001), "input.notes"),
        (_transfer("nonsense", savings), "input.fromAccountId"),
    ]
    for given, field in cases:
        assert await rejected_field(CREATE, {"input": given}, user_id=user) == field, given
    assert await all_transactions(user) == []


async def _bank_pair(user: uuid.UUID) -> dict[str, str]:
    """A card payment seen from both sides, two days apart, plus look-alikes that are not."""
    item = await link_item(
        user, bank_account("chk", name="Checking"), bank_account("card", name="Card", type="credit")
    )
    await ingest(
        user,
        item,
        added=(
            bank_transaction("t1", "-500.00", account="chk", date=dt.date(2026, 3, 3),
                             description="PAYMENT TO CARD"),
            bank_transaction("t2", "500.00", account="card", date=dt.date(2026, 3, 5),
                             description="PAYMENT THANK YOU", hint=None),
            # Same size but the same account, a week apart, or another size: not candidates.
            bank_transaction("t3", "500.00", account="chk", date=dt.date(2026, 3, 4),
                             description="Refund", hint=None),
            bank_transaction("t4", "500.00", account="card", date=dt.date(2026, 3, 12),
                             description="Late credit", hint=None),
            bank_transaction("t5", "499.99", account="card", date=dt.date(2026, 3, 3),
                             description="Almost", hint=None),
        ),
    )  # fmt: skip
    return {row["description"]: row["id"] for row in await all_transactions(user)}


async def test_two_bank_transactions_that_look_like_a_transfer_are_proposed_and_can_be_linked() -> (
    None
):
    user = await new_user()
    ids = await _bank_pair(user)
    before = await _reports(user)

    candidates = await data(CANDIDATES, {"from": "2026-03-01", "to": "2026-03-31"}, user_id=user)
    linked = await data(
        LINK, {"input": {"ids": [ids["PAYMENT THANK YOU"], ids["PAYMENT TO CARD"]]}}, user_id=user
    )
    after = await _reports(user)

    assert candidates["transferCandidates"] == [
        {
            "outflow": {"id": ids["PAYMENT TO CARD"], "description": "PAYMENT TO CARD"},
            "inflow": {"id": ids["PAYMENT THANK YOU"], "description": "PAYMENT THANK YOU"},
            "daysApart": 2,
        }
    ]
    assert linked["linkTransfer"] == {
        "outflow": {"id": ids["PAYMENT TO CARD"],
                    "transfer": {"counterpart": {"id": ids["PAYMENT THANK YOU"]}}},
        "inflow": {"id": ids["PAYMENT THANK YOU"],
                   "transfer": {"counterpart": {"id": ids["PAYMENT TO CARD"]}}},
    }  # fmt: skip
    # The payment was spending (the bank said Shopping) and income until linked.
    assert (before["spending"], before["expenses"], before["income"]) == (
        {"Shopping": "500.00"},
        "500.00",
        "1999.99",
    )
    assert (after["spending"], after["expenses"], after["income"]) == ({}, "0.00", "1499.99")
    again = await data(CANDIDATES, {"from": "2026-03-01", "to": "2026-03-31"}, user_id=user)
    assert again["transferCandidates"] == []


async def test_unlinking_a_transfer_counts_both_halves_again(
    announcements: list[dict[str, Any]],
) -> None:
    user = await new_user()
    categories = await category_ids(user)
    await set_budget(user, categories["Shopping"], "2026-03", "100.00")
    ids = await _bank_pair(user)
    pair = [ids["PAYMENT TO CARD"], ids["PAYMENT THANK YOU"]]
    await data(LINK, {"input": {"ids": pair}}, user_id=user)
    assert (await _reports(user))["budgets"] == {"Shopping": "0.00"}
    announcements.clear()

    undone = await data(UNLINK, {"input": {"id": ids["PAYMENT THANK YOU"]}}, user_id=user)

    assert {row["id"] for row in undone["unlinkTransfer"]["transactions"]} == set(pair)
    assert all(row["transfer"] is None for row in undone["unlinkTransfer"]["transactions"])
    assert (await _reports(user))["spending"] == {"Shopping": "500.00"}
    [announced] = announcements
    assert sorted(announced["transaction_ids"]) == sorted(
        str(decode_id("Transaction", value)) for value in pair
    )


async def test_pairs_that_cannot_be_one_transfer_are_refused_naming_the_ids() -> None:
    user = await new_user()
    a, b, c = [(await create_account(user, name=name))["id"] for name in ("A", "B", "C")]
    a_out = (await add_transaction(user, a, "-500.00", date="2026-03-03"))["id"]
    a_in = (await add_transaction(user, a, "500.00", date="2026-03-03"))["id"]
    b_in = (await add_transaction(user, b, "500.00", date="2026-03-03"))["id"]
    b_almost = (await add_transaction(user, b, "499.99", date="2026-03-03"))["id"]
    c_out = (await add_transaction(user, c, "-500.00", date="2026-03-03"))["id"]
    await data(LINK, {"input": {"ids": [c_out, b_in]}}, user_id=user)
    cases = [
        [a_out],
        [a_out, a_out],
        [a_out, b_almost, c_out],
        [a_out, a_in],  # one account
        [a_in, b_almost],  # both money in
        [a_out, b_almost],  # 500.00 out, 499.99 in
        [a_out, b_in],  # b_in is half of another transfer
    ]
    for given in cases:
        assert await rejected_field(LINK, {"input": {"ids": given}}, user_id=user) == "input.ids"
    assert await rejected_field(LINK, {"input": {"ids": ["x", a_out]}}, user_id=user) == "input.ids"
    listed = await all_transactions(user)
    assert len(listed) == 5


async def test_deleting_one_half_of_a_transfer_leaves_the_other_an_ordinary_transaction() -> None:
    user = await new_user()
    checking = await create_account(user, name="Checking")
    savings = await create_account(user, name="Savings")
    made = (await data(CREATE, {"input": _transfer(checking["id"], savings["id"])}, user_id=user))[
        "createTransfer"
    ]

    await data(
        "mutation($id: ID!) { deleteTransaction(input: {id: $id}) { deletedTransactionId } }",
        {"id": made["outflow"]["id"]},
        user_id=user,
    )

    listed = await data(
        "{ transactions { edges { node { id transfer { counterpart { id } } } } } }", user_id=user
    )
    assert [edge["node"] for edge in listed["transactions"]["edges"]] == [
        {"id": made["inflow"]["id"], "transfer": None}
    ]
    halves = await data("{ transactions(filter: {isTransfer: true}) { totalCount } }", user_id=user)
    assert halves["transactions"]["totalCount"] == 0


async def test_another_users_accounts_and_transactions_make_no_transfer() -> None:
    owner, intruder = await new_user(), await new_user()
    owners_ids = await _bank_pair(owner)
    owners_account = (await create_account(owner))["id"]
    mine = (await create_account(intruder, name="Mine"))["id"]
    other = (await create_account(intruder, name="Other"))["id"]
    spent = await add_transaction(intruder, mine, "500.00", date="2026-03-04")
    attempts: list[tuple[str, dict[str, Any]]] = [
        (CREATE, {"input": _transfer(owners_account, mine)}),
        (CREATE, {"input": _transfer(mine, owners_account)}),
        (LINK, {"input": {"ids": [owners_ids["PAYMENT TO CARD"], spent["id"]]}}),
        (
            LINK,
            {"input": {"ids": [owners_ids["PAYMENT TO CARD"], owners_ids["PAYMENT THANK YOU"]]}},
        ),
        (UNLINK, {"input": {"id": owners_ids["PAYMENT TO CARD"]}}),
    ]
    for operation, variables in attempts:
        result = await execute(operation, variables, user_id=intruder)
        assert error_codes(result) == ["NOT_FOUND"], variables
    await add_transaction(intruder, other, "-500.00", date="2026-03-03")

    # The intruder's own look-alike pairs with their own transaction, never the owner's.
    candidates = await data(
        CANDIDATES, {"from": "2026-03-01", "to": "2026-03-31"}, user_id=intruder
    )
    [pair] = candidates["transferCandidates"]
    assert pair["inflow"]["id"] == spent["id"]
    owners_view = await data(CANDIDATES, {"from": "2026-03-01", "to": "2026-03-31"}, user_id=owner)
    assert len(owners_view["transferCandidates"]) == 1


async def test_candidates_look_within_less_than_ten_years() -> None:
    user = await new_user()
    assert (
        await rejected_field(CANDIDATES, {"from": "2016-01-01", "to": "2026-03-01"}, user_id=user)
        == "to"
    )
    assert (
        await rejected_field(CANDIDATES, {"from": "2026-03-02", "to": "2026-03-01"}, user_id=user)
        == "to"
    )
