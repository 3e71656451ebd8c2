"""Invariant 1: a user never sees or changes another user's ledger, through any id."""

from __future__ import annotations

import json
import uuid
from typing import Any

from services.ledger import api as ledger_api
from shared.db import unit_of_work
from shared.export import json_document
from tests.ledger.support import (
    TRANSACTION_FIELDS,
    add_transaction,
    bank_account,
    bank_transaction,
    category_ids,
    create_account,
    ingest,
    link_item,
    new_user,
)
from tests.support.graphql import data, error_codes, execute

EVERYTHING = f"""{{
  accounts {{ id name balance {{ amount currency }} }}
  categories {{ id name group }}
  transactions(first: 100) {{ totalCount edges {{ node {{ {TRANSACTION_FIELDS} }} }} }}
  budgets(month: "2026-03") {{ id amount {{ amount }} spent {{ amount }} }}
  goals {{ id savedAmount {{ amount }} }}
  spendingByCategory(from: "2026-01-01", to: "2026-12-31") {{
    category {{ id }} amount {{ amount }} }}
  cashFlow(from: "2026-01-01", to: "2026-12-31") {{ month income {{ amount }} net {{ amount }} }}
  netWorth(from: "2026-01-01", to: "2026-12-31") {{ date amount {{ amount }} }}
  ledgerSettings {{ baseCurrency }}
  exchangeRates {{ edges {{ node {{ id currency date rate }} }} }}
  missingExchangeRates {{ currency transactionCount }}
}}"""


async def _owner_with_everything() -> tuple[uuid.UUID, dict[str, str]]:
    owner = await new_user()
    account = await create_account(owner, opening_balance="10.00")
    categories = await category_ids(owner)
    manual = await add_transaction(owner, account["id"], "-3.00", category_id=categories["Dining"])
    item = await link_item(owner, bank_account())
    await ingest(owner, item, added=(bank_transaction("t1", "-5.00"),))
    budget = await data(
        "mutation($i: SetBudgetInput!) { setBudget(input: $i) { budget { id } } }",
        {"i": {"categoryId": categories["Dining"], "month": "2026-03", "amount": "9"}},
        user_id=owner,
    )
    goal = await data(
        """mutation { createGoal(input: {name: "Car", targetAmount: "100"}) { goal { id } } }""",
        user_id=owner,
    )
    rate = await data(
        """mutation { setExchangeRate(input: {currency: "EUR", date: "2026-01-01", rate: "1.1"})
             { exchangeRate { id } } }""",
        user_id=owner,
    )
    ids = {
        "account": account["id"],
        "category": categories["Dining"],
        "transaction": manual["id"],
        "budget": budget["setBudget"]["budget"]["id"],
        "goal": goal["createGoal"]["goal"]["id"],
        "rate": rate["setExchangeRate"]["exchangeRate"]["id"],
    }
    return owner, ids


async def test_every_ledger_operation_with_another_users_ids_is_not_found_and_changes_nothing() -> (
    None
):
    owner, ids = await _owner_with_everything()
    intruder = await new_user()
    intruders_account = (await create_account(intruder))["id"]
    before = await data(EVERYTHING, user_id=owner)
    create = """mutation($i: CreateTransactionInput!) {
      createTransaction(input: $i) { transaction { id } } }"""
    entry = {"date": "2026-03-01", "amount": "1", "description": "x"}
    budget = "mutation($i: SetBudgetInput!) { setBudget(input: $i) { budget { id } } }"
    contribute = """mutation($g: ID!) {
      contributeToGoal(input: {goalId: $g, amount: "1"}) { goal { id } } }"""
    update = """mutation($t: ID!) {
      updateTransaction(input: {id: $t, notes: "x"}) { transaction { id } } }"""
    delete = "mutation($t: ID!) { deleteTransaction(input: {id: $t}) { deletedTransactionId } }"
    listing = "query($f: TransactionFilter) { transactions(filter: $f) { totalCount } }"
    forget = """mutation($i: DeleteExchangeRateInput!) { deleteExchangeRate(input: $i) {
      deletedExchangeRateId } }"""
    attempts: list[tuple[str, dict[str, Any]]] = [
        (create, {"i": {**entry, "accountId": ids["account"]}}),
        (create, {"i": {**entry, "accountId": intruders_account, "categoryId": ids["category"]}}),
        (update, {"t": ids["transaction"]}),
        (delete, {"t": ids["transaction"]}),
        (budget, {"i": {"categoryId": ids["category"], "month": "2026-03", "amount": "1"}}),
        (contribute, {"g": ids["goal"]}),
        (listing, {"f": {"accountId": ids["account"]}}),
        (listing, {"f": {"categoryId": ids["category"]}}),
        (forget, {"i": {"id": ids["rate"]}}),
        # A valid id of the wrong kind is just as unknown.
        (delete, {"t": ids["budget"]}),
        (contribute, {"g": ids["account"]}),
        (forget, {"i": {"id": ids["goal"]}}),
    ]
    attempts.append(("query($t: ID!) { exchangeRate(id: $t) { id } }", {"t": ids["rate"]}))
    attempts.append(("query($t: ID!) { node(id: $t) { id } }", {"t": ids["rate"]}))
    for kind in ("account", "transaction", "category", "budget", "goal"):
        attempts.append((f"query($t: ID!) {{ {kind}(id: $t) {{ id }} }}", {"t": ids[kind]}))
        attempts.append(("query($t: ID!) { node(id: $t) { id } }", {"t": ids[kind]}))

    for query, variables in attempts:
        result = await execute(query, variables, user_id=intruder)
        assert error_codes(result) == ["NOT_FOUND"], query

    assert await data(EVERYTHING, user_id=owner) == before
    seen = await data(EVERYTHING, user_id=intruder)
    assert seen["transactions"]["totalCount"] == 0
    assert seen["budgets"] == seen["goals"] == seen["spendingByCategory"] == []
    assert seen["exchangeRates"]["edges"] == []
    assert {point["income"]["amount"] for point in seen["cashFlow"]} == {"0.00"}
    assert {point["amount"]["amount"] for point in seen["netWorth"]} == {"0.00"}
    assert {category["id"] for category in seen["categories"]}.isdisjoint(
        {category["id"] for category in before["categories"]}
    )


async def _ledger_export(user_id: uuid.UUID) -> str:
    sections = ledger_api.export_user_data(user_id)
    return b"".join([chunk async for chunk in json_document({}, sections)]).decode()


async def test_exporting_or_deleting_one_users_ledger_never_touches_anothers() -> None:
    owner, ids = await _owner_with_everything()
    other = await new_user()
    await add_transaction(other, (await create_account(other))["id"], "-1.00")
    before = await data(EVERYTHING, user_id=owner)

    owners_export = await _ledger_export(owner)
    others_export = await _ledger_export(other)
    async with unit_of_work() as work:
        deleted = await ledger_api.delete_user_data(work, other)

    assert all(f'"{value}"' in owners_export for value in ids.values())
    assert not any(f'"{value}"' in others_export for value in ids.values())
    assert json.loads(others_export)["accounts"][0]["name"] == "Everyday"
    assert deleted["ledger_accounts"] == deleted["ledger_transactions"] == 1
    assert await data(EVERYTHING, user_id=owner) == before
    assert await data(EVERYTHING, user_id=other) != before
