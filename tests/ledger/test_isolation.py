"""Invariant 1: a user never sees or changes another user's ledger, through any id."""

from __future__ import annotations

import uuid
from typing import Any

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
  payees {{ totalCount edges {{ node {{ id name }} }} }}
  tags {{ id name }}
  transferCandidates(from: "2026-01-01", to: "2026-12-31") {{
    outflow {{ id }} inflow {{ id }} daysApart }}
  tagged: transactions(first: 100, filter: {{ reviewed: false }}) {{
    edges {{ node {{ id reviewed payee {{ id }} tags {{ id }} splits {{ amount {{ amount }} }}
                    transfer {{ counterpart {{ id }} }} }} }} }}
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
    tag = await data('mutation { createTag(input: {name: "mine"}) { tag { id } } }', user_id=owner)
    payees = await data("{ payees { edges { node { id name } } } }", user_id=owner)
    savings = await create_account(owner, name="Savings")
    transfer = await data(
        """mutation($i: CreateTransferInput!) { createTransfer(input: $i) { outflow { id } } }""",
        {"i": {"fromAccountId": account["id"], "toAccountId": savings["id"],
               "date": "2026-03-02", "amount": "1.00"}},
        user_id=owner,
    )  # fmt: skip
    await data(
        """mutation($i: SplitTransactionInput!) { splitTransaction(input: $i) {
             transaction { id } } }""",
        {"i": {"id": manual["id"], "parts": [
            {"amount": "-1.00", "categoryId": categories["Dining"]}, {"amount": "-2.00"}]}},
        user_id=owner,
    )  # fmt: skip
    ids = {
        "tag": tag["createTag"]["tag"]["id"],
        "payee": payees["payees"]["edges"][0]["node"]["id"],
        "transfer": transfer["createTransfer"]["outflow"]["id"],
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
    mine = await add_transaction(intruder, intruders_account, "-1.00", description="mine")
    my_payee = (await data("{ payees { edges { node { id } } } }", user_id=intruder))["payees"][
        "edges"
    ][0]["node"]["id"]
    split = """mutation($i: SplitTransactionInput!) { splitTransaction(input: $i) {
      transaction { id } } }"""
    bulk = """mutation($i: BulkEditTransactionsInput!) { bulkEditTransactions(input: $i) {
      changedCount } }"""
    transfer = """mutation($i: CreateTransferInput!) { createTransfer(input: $i) {
      outflow { id } } }"""
    parts = [{"amount": "-0.50"}, {"amount": "-0.50"}]
    attempts += [
        ("mutation($t: ID!) { renamePayee(input: {id: $t, name: \"x\"}) { payee { id } } }",
         {"t": ids["payee"]}),
        ("mutation($s: ID!, $t: ID!) { mergePayees(input: {sourceIds: [$s], targetId: $t}) {"
         " payee { id } } }", {"s": ids["payee"], "t": my_payee}),
        ("mutation($s: ID!, $t: ID!) { mergePayees(input: {sourceIds: [$s], targetId: $t}) {"
         " payee { id } } }", {"s": my_payee, "t": ids["payee"]}),
        ("mutation($t: ID!) { renameTag(input: {id: $t, name: \"x\"}) { tag { id } } }",
         {"t": ids["tag"]}),
        ("mutation($t: ID!) { deleteTag(input: {id: $t}) { deletedTagId } }", {"t": ids["tag"]}),
        (split, {"i": {"id": ids["transaction"], "parts": parts}}),
        (split, {"i": {"id": mine["id"], "parts": [
            {"amount": "-0.50", "categoryId": ids["category"]}, {"amount": "-0.50"}]}}),
        ("mutation($t: ID!) { unsplitTransaction(input: {id: $t}) { transaction { id } } }",
         {"t": ids["transaction"]}),
        ("mutation($t: ID!) { unlinkTransfer(input: {id: $t}) { transactions { id } } }",
         {"t": ids["transfer"]}),
        ("mutation($a: ID!, $b: ID!) { linkTransfer(input: {ids: [$a, $b]}) { outflow { id } } }",
         {"a": ids["transaction"], "b": mine["id"]}),
        (transfer, {"i": {"fromAccountId": ids["account"], "toAccountId": intruders_account,
                          "date": "2026-03-01", "amount": "1"}}),
        (bulk, {"i": {"ids": [ids["transaction"]], "setReviewed": False}}),
        (bulk, {"i": {"ids": [mine["id"]], "addTagIds": [ids["tag"]]}}),
        (bulk, {"i": {"filter": {"payeeIds": [ids["payee"]]}, "setReviewed": False}}),
        (listing, {"f": {"tagIds": [ids["tag"]]}}),
        (listing, {"f": {"payeeIds": [ids["payee"]]}}),
        (update.replace("notes: \"x\"", "payeeId: \"" + ids["payee"] + "\""),
         {"t": mine["id"]}),
    ]  # fmt: skip
    attempts.append(("query($t: ID!) { exchangeRate(id: $t) { id } }", {"t": ids["rate"]}))
    attempts.append(("query($t: ID!) { node(id: $t) { id } }", {"t": ids["rate"]}))
    for kind in ("account", "transaction", "category", "budget", "goal", "payee", "tag"):
        attempts.append((f"query($t: ID!) {{ {kind}(id: $t) {{ id }} }}", {"t": ids[kind]}))
        attempts.append(("query($t: ID!) { node(id: $t) { id } }", {"t": ids[kind]}))

    for query, variables in attempts:
        result = await execute(query, variables, user_id=intruder)
        assert error_codes(result) == ["NOT_FOUND"], query

    assert await data(EVERYTHING, user_id=owner) == before
    seen = await data(EVERYTHING, user_id=intruder)
    assert seen["transactions"]["totalCount"] == 1  # their own, "mine"
    assert seen["budgets"] == seen["goals"] == seen["spendingByCategory"] == []
    assert seen["exchangeRates"]["edges"] == []
    assert seen["tags"] == seen["transferCandidates"] == []
    assert [edge["node"]["name"] for edge in seen["payees"]["edges"]] == ["mine"]
    assert {point["income"]["amount"] for point in seen["cashFlow"]} == {"0.00"}
    assert {point["amount"]["amount"] for point in seen["netWorth"]} <= {"0.00", "-1.00"}
    assert {category["id"] for category in seen["categories"]}.isdisjoint(
        {category["id"] for category in before["categories"]}
    )
