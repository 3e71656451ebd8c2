"""A linked item's accounts when its bank is unlinked (the ledger's side): kept, they are manual
accounts whose balances and net worth, day by day, stay what they were, and whose transactions
are the user's own; deleted, they go with every transaction, and another account's half of a
transfer stays, unlinked. Either way the pending tombstones of the item go."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import func, select

from services.ledger import api
from services.ledger.models import PendingTombstone
from shared.db import read_session, unit_of_work
from shared.errors import BadUserInput
from shared.ids import encode_id
from tests.ledger.support import (
    accounts,
    bank_account,
    bank_transaction,
    ingest,
    link_item,
    transaction_count,
)
from tests.support.factories import create_account, new_user
from tests.support.graphql import data

NET_WORTH = """query { netWorth(from: "2026-03-01", to: "2026-03-06", interval: DAY) {
  date amount { amount } } }"""


async def _net_worth(user: uuid.UUID) -> list[tuple[str, str]]:
    points = (await data(NET_WORTH, user_id=user))["netWorth"]
    return [(point["date"], point["amount"]["amount"]) for point in points]


async def _tombstones(item: uuid.UUID) -> int:
    async with read_session() as session:
        found = await session.scalar(select(func.count()).where(PendingTombstone.item_ref == item))
    return int(found or 0)


async def _linked_with_history(user: uuid.UUID) -> uuid.UUID:
    item = await link_item(user, bank_account("acc-1", balance="500.00"))
    await ingest(user, item, added=(
        bank_transaction("t1", "-40.00", date=dt.date(2026, 3, 3)),
        bank_transaction("t2", "12.00", date=dt.date(2026, 3, 5)),
        bank_transaction("p1", "-3.00", date=dt.date(2026, 3, 5), pending=True),
    ))  # fmt: skip
    await ingest(user, item, removed=("p1",))  # leaves a tombstone
    return item


async def test_kept_accounts_keep_their_balance_and_net_worth_and_become_editable() -> None:
    user = await new_user()
    item = await _linked_with_history(user)
    [before] = await accounts(user)
    worth = await _net_worth(user)
    assert await _tombstones(item) == 1

    async with unit_of_work() as work:
        kept = await api.keep_bank_accounts(work, user, item)

    [after] = await accounts(user)
    assert [encode_id("Account", account_id) for account_id in kept] == [before["id"]]
    assert after["linked"] is False
    assert after["balance"] == before["balance"] == {"amount": "500.00", "currency": "USD"}
    assert await _net_worth(user) == worth
    assert await _tombstones(item) == 0
    # Manual now: its opening balance and name are the user's to edit.
    edited = await data(
        """mutation($id: ID!) { updateAccount(input: {id: $id, name: "Old bank",
             openingBalance: "0"}) { account { name balance { amount } } } }""",
        {"id": after["id"]},
        user_id=user,
    )
    assert edited["updateAccount"]["account"] == {
        "name": "Old bank",
        "balance": {"amount": "-28.00"},
    }
    # Keeping again finds nothing of the item left.
    async with unit_of_work() as work:
        assert await api.keep_bank_accounts(work, user, item) == []


async def test_deleted_accounts_go_with_their_transactions_and_leave_other_halves() -> None:
    user = await new_user()
    cash = await create_account(user, name="Cash", type="CASH", opening_balance="10.00")
    item = await _linked_with_history(user)
    [bank, _] = sorted(
        await accounts(user), key=lambda account: account["name"] != "Plaid Checking"
    )
    moved = await data(
        """mutation($i: CreateTransferInput!) { createTransfer(input: $i) { inflow { id } } }""",
        {"i": {"fromAccountId": bank["id"], "toAccountId": cash["id"], "date": "2026-03-06",
               "amount": "5.00"}},
        user_id=user,
    )  # fmt: skip

    async with unit_of_work() as work:
        gone = await api.delete_bank_accounts(work, user, item)

    assert gone.transaction_count == 3  # two from the bank, and the transfer's half
    assert [account["name"] for account in await accounts(user)] == ["Cash"]
    assert await transaction_count(user) == 1
    half = await data(
        "query($id: ID!) { transaction(id: $id) { transfer { counterpart { id } } } }",
        {"id": moved["createTransfer"]["inflow"]["id"]},
        user_id=user,
    )
    assert half["transaction"]["transfer"] is None
    assert await _tombstones(item) == 0


async def test_deleting_accounts_that_fund_a_goal_is_refused_naming_the_field() -> None:
    user = await new_user()
    item = await _linked_with_history(user)
    [bank] = await accounts(user)
    await data(
        """mutation($a: ID) { createGoal(input: {name: "Trip", targetAmount: "900",
             funding: ACCOUNT, accountId: $a}) { goal { id } } }""",
        {"a": bank["id"]},
        user_id=user,
    )

    with pytest.raises(BadUserInput) as refused:
        await api.check_bank_history_deletable(user, item)
    assert refused.value.field == "input.history"
    with pytest.raises(BadUserInput):
        async with unit_of_work() as work:
            await api.delete_bank_accounts(work, user, item)
    assert len(await accounts(user)) == 1
