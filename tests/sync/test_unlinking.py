"""Unlinking a bank: its login removed at Plaid, its accounts kept as manual ones with every
transaction (and the balance the bank last reported), or deleted with them, as the user chose;
asked again, the same answer; anyone else's institution is NOT_FOUND. All against the live
server's Plaid.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import pytest
from plaid.exceptions import ApiException
from plaid.model.item_get_request import ItemGetRequest
from sqlalchemy import select

from services.sync.models import ItemRemoval, UnlinkedItem
from services.sync.plaid import client as plaid_client
from services.sync.plaid.errors import PlaidError
from services.sync.runs import service as runs
from services.sync.user_data import repository as removals
from shared.db import read_session, unit_of_work
from tests.support.factories import add_transaction, create_account
from tests.support.graphql import data, error_codes, execute
from tests.sync import bank

pytestmark = pytest.mark.usefixtures("live_server")

UNLINK = """mutation($id: ID!, $history: InstitutionHistory!) {
  unlinkInstitution(input: {id: $id, history: $history}) {
    unlinkedInstitutionId history deletedAccountIds deletedTransactionCount
    keptAccounts { id name linked mask balance { amount currency } } } }"""

ACCOUNTS = "{ accounts { id name linked mask balance { amount currency } } }"


async def _linked_and_synced(user_id: uuid.UUID) -> bank.LinkedBank:
    linked = await bank.link_bank(user_id)
    await bank.first_sync_done(linked)
    return linked


async def _accounts(user_id: uuid.UUID) -> dict[str, dict[str, Any]]:
    listed = (await data(ACCOUNTS, user_id=user_id))["accounts"]
    return {account["id"]: account for account in listed}


def _known_at_plaid(access_token: str) -> bool:
    try:
        bank.plaid().item_get(ItemGetRequest(access_token=access_token))
    except ApiException as error:
        assert '"INVALID_ACCESS_TOKEN"' in str(error.body)
        return False
    return True


async def test_keeping_the_history_leaves_manual_accounts_with_every_transaction() -> None:
    user_id = await bank.new_user()
    linked = await _linked_and_synced(user_id)
    before = await _accounts(user_id)
    history = bank.fingerprint(await bank.ledger_transactions(user_id))
    assert history and all(account["linked"] for account in before.values())

    done = (await data(UNLINK, {"id": linked.graphql_id, "history": "KEEP"}, user_id=user_id))[
        "unlinkInstitution"
    ]

    assert done["unlinkedInstitutionId"] == linked.graphql_id
    assert (done["history"], done["deletedAccountIds"], done["deletedTransactionCount"]) == (
        "KEEP",
        [],
        0,
    )
    kept = {account["id"]: account for account in done["keptAccounts"]}
    assert set(kept) == set(before)
    after = await _accounts(user_id)
    for account_id, account in before.items():
        # The same accounts, manual now, each with the balance the bank last reported.
        assert after[account_id] == kept[account_id] == {**account, "linked": False}
    assert bank.fingerprint(await bank.ledger_transactions(user_id)) == history
    assert (await data("{ linkedInstitutions { id } }", user_id=user_id)) == {
        "linkedInstitutions": []
    }
    # Plaid no longer knows the login: its access token stopped working there.
    assert not await bank.in_thread(_known_at_plaid, linked.access_token)
    # A sync job still on its way finds nothing to do.
    assert (await runs.sync_linked_item(linked.item_ref)).outcome == "missing"

    # The transactions are the user's own now: editable, deletable.
    row = (await bank.ledger_transactions(user_id))[0]
    edited = await data(
        """mutation($id: ID!) { updateTransaction(input: {id: $id, amount: "-1.23",
             description: "Corrected"}) { transaction { amount { amount } description } } }""",
        {"id": row["id"]},
        user_id=user_id,
    )
    assert edited["updateTransaction"]["transaction"] == {
        "amount": {"amount": "-1.23"},
        "description": "Corrected",
    }


async def test_unlinking_and_deleting_the_history_removes_its_accounts_and_transactions() -> None:
    user_id = await bank.new_user()
    own = await create_account(user_id, name="Cash")
    await add_transaction(user_id, own["id"], "-5.00", "2026-03-01", "Coffee")
    linked = await _linked_and_synced(user_id)
    bank_accounts = {account["id"] for account in linked.institution["accounts"]}
    # A transfer between the bank's checking account and the user's own account.
    checking = next(
        a["id"] for a in linked.institution["accounts"] if a["name"] == "Plaid Checking"
    )
    moved = await data(
        """mutation($i: CreateTransferInput!) { createTransfer(input: $i) {
             outflow { id } inflow { id } } }""",
        {"i": {"fromAccountId": checking, "toAccountId": own["id"], "date": "2026-03-02",
               "amount": "50.00"}},
        user_id=user_id,
    )  # fmt: skip
    kept_half = moved["createTransfer"]["inflow"]["id"]
    total = len(await bank.ledger_transactions(user_id))

    done = (await data(UNLINK, {"id": linked.graphql_id, "history": "DELETE"}, user_id=user_id))[
        "unlinkInstitution"
    ]

    assert done["history"] == "DELETE"
    assert set(done["deletedAccountIds"]) == bank_accounts
    assert done["keptAccounts"] == []
    left = await bank.ledger_transactions(user_id)
    assert done["deletedTransactionCount"] == total - len(left)
    assert set(await _accounts(user_id)) == {own["id"]}
    assert {row["description"] for row in left} == {"Coffee", "Transfer from Plaid Checking"}
    half = await data(
        "query($id: ID!) { transaction(id: $id) { transfer { counterpart { id } } } }",
        {"id": kept_half},
        user_id=user_id,
    )
    assert half["transaction"]["transfer"] is None
    assert Decimal((await _accounts(user_id))[own["id"]]["balance"]["amount"]) == Decimal("45.00")
    assert not await bank.in_thread(_known_at_plaid, linked.access_token)


async def test_unlinking_again_answers_the_same_and_another_users_institution_is_not_found() -> (
    None
):
    owner = await bank.new_user()
    linked = await _linked_and_synced(owner)
    stranger = await bank.new_user()
    variables = {"id": linked.graphql_id, "history": "KEEP"}

    refused = await execute(UNLINK, variables, user_id=stranger)
    assert error_codes(refused) == ["NOT_FOUND"]
    assert await bank.in_thread(_known_at_plaid, linked.access_token)

    first = (await data(UNLINK, variables, user_id=owner))["unlinkInstitution"]
    again = (await data(UNLINK, variables, user_id=owner))["unlinkInstitution"]
    assert again == first
    other_choice = await execute(UNLINK, {**variables, "history": "DELETE"}, user_id=owner)
    assert error_codes(other_choice) == ["CONFLICT"]
    # Once unlinked, it is still nobody else's.
    assert error_codes(await execute(UNLINK, variables, user_id=stranger)) == ["NOT_FOUND"]


async def test_deleting_the_history_of_an_account_that_funds_a_goal_is_refused_before_plaid() -> (
    None
):
    user_id = await bank.new_user()
    linked = await _linked_and_synced(user_id)
    savings = next(a["id"] for a in linked.institution["accounts"] if a["name"] == "Plaid Saving")
    await data(
        """mutation($a: ID) { createGoal(input: {name: "Trip", targetAmount: "900",
             funding: ACCOUNT, accountId: $a}) { goal { id } } }""",
        {"a": savings},
        user_id=user_id,
    )

    result = await execute(UNLINK, {"id": linked.graphql_id, "history": "DELETE"}, user_id=user_id)

    assert error_codes(result) == ["BAD_USER_INPUT"]
    assert result.errors is not None
    error = result.errors[0]
    assert (error.extensions or {}).get("field") == "input.history"
    assert "'Plaid Saving' funds the goal 'Trip'" in error.message
    # Nothing happened: still linked here and at Plaid.
    assert len((await data("{ linkedInstitutions { id } }", user_id=user_id))[
        "linkedInstitutions"
    ]) == 1  # fmt: skip
    assert await bank.in_thread(_known_at_plaid, linked.access_token)
    # Keeping the history is always possible.
    kept = await data(UNLINK, {"id": linked.graphql_id, "history": "KEEP"}, user_id=user_id)
    assert savings in {a["id"] for a in kept["unlinkInstitution"]["keptAccounts"]}


async def test_unlinking_while_plaid_is_down_unlinks_here_and_removes_it_at_plaid_later(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user_id = await bank.new_user()
    linked = await _linked_and_synced(user_id)
    real_remove = plaid_client.remove_item

    async def plaid_down(access_token: str) -> None:
        raise PlaidError(503, "API_ERROR", "INTERNAL_SERVER_ERROR", "down")

    monkeypatch.setattr(plaid_client, "remove_item", plaid_down)
    done = (await data(UNLINK, {"id": linked.graphql_id, "history": "KEEP"}, user_id=user_id))[
        "unlinkInstitution"
    ]
    assert done["history"] == "KEEP"
    assert (await data("{ linkedInstitutions { id } }", user_id=user_id)) == {
        "linkedInstitutions": []
    }
    async with read_session() as session:
        waiting = (
            await session.scalars(
                select(ItemRemoval).where(ItemRemoval.plaid_item_id == linked.plaid_item_id)
            )
        ).one()
    assert await bank.in_thread(_known_at_plaid, linked.access_token)

    # Plaid is back: the removal's job (retried, or asked again by the scheduler) removes it.
    monkeypatch.setattr(plaid_client, "remove_item", real_remove)
    from services.sync.user_data import service as user_data

    await user_data.remove_pending_item(waiting.id)
    assert not await bank.in_thread(_known_at_plaid, linked.access_token)
    async with read_session() as session:
        assert await removals.removal(session, waiting.id) is None


async def test_the_record_of_an_unlinked_bank_goes_with_the_users_account() -> None:
    user_id = await bank.new_user()
    linked = await _linked_and_synced(user_id)
    await data(UNLINK, {"id": linked.graphql_id, "history": "DELETE"}, user_id=user_id)

    from services.sync.user_data import service as user_data

    async with unit_of_work() as work:
        await user_data.delete_user_data(work, user_id, revoked=set())
    async with read_session() as session:
        assert await session.get(UnlinkedItem, linked.item_ref) is None
