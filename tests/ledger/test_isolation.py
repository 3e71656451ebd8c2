"""Invariant 1: a user never sees or changes another user's ledger, through any id."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from services.ledger import api as ledger_api
from shared.clock import today
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
  accounts(includeClosed: true) {{ id name institutionLabel closedOn balance {{ amount currency }}
    clearedBalance {{ amount }} lastReconciledAt lastReconciliation {{ difference {{ amount }} }} }}
  transactions(first: 100) {{ totalCount edges {{ node {{ {TRANSACTION_FIELDS} }} }} }}
  budgets(month: "2026-03") {{ id amount {{ amount }} spent {{ amount }} }}
  goals {{ id name targetDate savedAmount {{ amount }} status funding pausedAt
    account {{ id }} category {{ id }} }}
  spendingByCategory(from: "2026-01-01", to: "2026-12-31") {{
    category {{ id }} amount {{ amount }} }}
  cashFlow(from: "2026-01-01", to: "2026-12-31") {{ month income {{ amount }} net {{ amount }} }}
  netWorth(from: "2026-01-01", to: "2026-12-31") {{ date amount {{ amount }} }}
  ledgerSettings {{ baseCurrency }}
  exchangeRates {{ edges {{ node {{ id currency date rate }} }} }}
  missingExchangeRates {{ currency transactionCount }}
  recurringSeries {{ totalCount edges {{ node {{ id name status expectedAmount {{ amount }} }} }} }}
  upcomingBills {{ date series {{ id name }} }}
  categories(includeHidden: true) {{ id name group position hidden kind rollover }}
  categoryGroups {{ id name position categories(includeHidden: true) {{ id name }} }}
  budgetMonth(month: "2026-03") {{ style income {{ amount }} budgeted {{ amount }}
    spent {{ amount }} lines {{ category {{ id }} budget {{ id }} available {{ amount }} }} }}
  payees {{ totalCount edges {{ node {{ id name }} }} }}
  tags {{ id name }}
  transferCandidates(from: "2026-01-01", to: "2026-12-31") {{
    outflow {{ id }} inflow {{ id }} daysApart }}
  tagged: transactions(first: 100, filter: {{ reviewed: false }}) {{
    edges {{ node {{ id reviewed payee {{ id }} tags {{ id }} splits {{ amount {{ amount }} }}
                    transfer {{ counterpart {{ id }} }} }} }} }}
}}"""
# Read apart: EVERYTHING is as costly as one operation may be.
RULES = """{ rules { totalCount edges { node { id name position enabled appliedCount
  conditions { descriptionContains payees { id } accounts { id } }
  actions { setCategory { id } setPayee { id } addTags { id } } } } } }"""

REPORTS = """{
  weeklyNetWorth: netWorth(from: "2026-01-01", to: "2026-03-31", interval: WEEK) {
    date amount { amount } }
  spendingReport(from: "2026-01-01", to: "2026-12-31", groupBy: PAYEE, interval: MONTH) {
    total { amount } periods { label rows { name amount { amount }
      key { ... on Payee { id } } } } }
  taggedReport: spendingReport(from: "2026-01-01", to: "2026-12-31", groupBy: TAG,
    interval: YEAR) { total { amount } periods { rows { name key { ... on Tag { id } } } } }
}"""


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
    for weeks_ago in (2, 1, 0):
        day = today() - dt.timedelta(days=7 * weeks_ago)
        await add_transaction(owner, account["id"], "-4.99", date=day, description="Daily paper")
    detected = await data("mutation { detectRecurring { newSuggestions { id } } }", user_id=owner)
    await data(
        """mutation($a: ID!) { reconcileAccount(input: {id: $a, statementDate: "2026-03-31",
             statementBalance: "7.00"}) { newlyClearedCount } }""",
        {"a": account["id"]},
        user_id=owner,
    )
    group = await data("{ categoryGroups { id } }", user_id=owner)
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
    rule = await data(
        "mutation($i: CreateRuleInput!) { createRule(input: $i) { rule { id } } }",
        {"i": {"name": "mine", "conditions": {"accountIds": [account["id"]],
               "payeeIds": [payees["payees"]["edges"][0]["node"]["id"]]},
               "actions": {"setCategoryId": categories["Dining"],
                           "addTagIds": [tag["createTag"]["tag"]["id"]]}}},
        user_id=owner,
    )  # fmt: skip
    ids = {
        "rule": rule["createRule"]["rule"]["id"],
        "tag": tag["createTag"]["tag"]["id"],
        "payee": payees["payees"]["edges"][0]["node"]["id"],
        "transfer": transfer["createTransfer"]["outflow"]["id"],
        "account": account["id"],
        "recurring": detected["detectRecurring"]["newSuggestions"][0]["id"],
        "category": categories["Dining"],
        "other_category": categories["Groceries"],
        "group": group["categoryGroups"][0]["id"],
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
    intruders = await category_ids(intruder)
    before = await data(EVERYTHING, user_id=owner)
    rules_before = await data(RULES, user_id=owner)
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
    create_category = """mutation($i: CreateCategoryInput!) {
      createCategory(input: $i) { category { id } } }"""
    update_category = """mutation($i: UpdateCategoryInput!) {
      updateCategory(input: $i) { category { id } } }"""
    update_group = """mutation($i: UpdateCategoryGroupInput!) {
      updateCategoryGroup(input: $i) { categoryGroup { id } } }"""
    delete_group = """mutation($i: DeleteCategoryGroupInput!) {
      deleteCategoryGroup(input: $i) { deletedCategoryGroupId } }"""
    merge = """mutation($i: MergeCategoriesInput!) {
      mergeCategories(input: $i) { mergedCategoryId } }"""
    delete_category = """mutation($i: DeleteCategoryInput!) {
      deleteCategory(input: $i) { deletedCategoryId } }"""
    move = """mutation($i: MoveBudgetInput!) { moveBudget(input: $i) { fromBudget { id } } }"""
    moving = {
        "fromCategoryId": intruders["Dining"],
        "toCategoryId": intruders["Groceries"],
        "month": "2026-03",
        "amount": "1",
    }
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
        (update_category, {"i": {"id": ids["category"], "name": "Mine"}}),
        (update_category, {"i": {"id": intruders["Dining"], "groupId": ids["group"]}}),
        (create_category, {"i": {"name": "Mine", "groupId": ids["group"]}}),
        (update_group, {"i": {"id": ids["group"], "name": "Mine"}}),
        (delete_group, {"i": {"id": ids["group"]}}),
        (merge, {"i": {"sourceId": ids["category"], "targetId": intruders["Dining"]}}),
        (merge, {"i": {"sourceId": intruders["Dining"], "targetId": ids["category"]}}),
        (merge, {"i": {"sourceId": ids["category"], "targetId": ids["other_category"]}}),
        (delete_category, {"i": {"id": ids["category"]}}),
        (move, {"i": {**moving, "fromCategoryId": ids["category"]}}),
        (move, {"i": {**moving, "toCategoryId": ids["category"]}}),
        # A valid id of the wrong kind is just as unknown.
        (update_category, {"i": {"id": intruders["Dining"], "groupId": intruders["Rent"]}}),
        (delete, {"t": ids["budget"]}),
        (contribute, {"g": ids["account"]}),
        (forget, {"i": {"id": ids["goal"]}}),
    ]
    attempts += [
        (
            "mutation($t: ID!) { confirmRecurring(input: {id: $t}) { recurringSeries { id } } }",
            {"t": ids["recurring"]},
        ),
        (
            "mutation($t: ID!) { dismissRecurring(input: {id: $t}) { recurringSeries { id } } }",
            {"t": ids["recurring"]},
        ),
        (
            """mutation($t: ID!) { updateRecurring(input: {id: $t, name: "mine"}) {
                 recurringSeries { id } } }""",
            {"t": ids["recurring"]},
        ),
        (
            "mutation($t: ID!) { deleteRecurring(input: {id: $t}) { deletedRecurringSeriesId } }",
            {"t": ids["recurring"]},
        ),
        ("query($t: ID!) { recurring(id: $t) { id } }", {"t": ids["recurring"]}),
        ("query($t: ID!) { node(id: $t) { id } }", {"t": ids["recurring"]}),
    ]
    account_id, goal_id = {"id": ids["account"]}, {"id": ids["goal"]}
    statement = {"statementDate": "2026-03-31", "statementBalance": "0"}
    reconcile = """mutation($i: ReconcileAccountInput!) { reconcileAccount(input: $i) {
      newlyClearedCount } }"""
    fund = """mutation($i: CreateGoalInput!) { createGoal(input: $i) { goal { id } } }"""
    attempts += [
        ("mutation($i: UpdateAccountInput!) { updateAccount(input: $i) { account { id } } }",
         {"i": {**account_id, "name": "Mine now", "institutionLabel": "x"}}),
        ("mutation($i: CloseAccountInput!) { closeAccount(input: $i) { account { id } } }",
         {"i": account_id}),
        ("mutation($i: ReopenAccountInput!) { reopenAccount(input: $i) { account { id } } }",
         {"i": account_id}),
        ("mutation($i: DeleteAccountInput!) { deleteAccount(input: $i) { deletedAccountId } }",
         {"i": account_id}),
        (reconcile, {"i": {**account_id, **statement}}),
        (reconcile, {"i": {"id": intruders_account, "transactionIds": [ids["transaction"]],
                           **statement}}),
        ("""mutation($i: SetTransactionsClearedInput!) { setTransactionsCleared(input: $i) {
              transactions { id } } }""", {"i": {"ids": [ids["transaction"]], "cleared": True}}),
        ("mutation($i: UpdateGoalInput!) { updateGoal(input: $i) { goal { id } } }",
         {"i": {**goal_id, "targetDate": None, "name": "x"}}),
        ("mutation($i: PauseGoalInput!) { pauseGoal(input: $i) { goal { id } } }", {"i": goal_id}),
        ("mutation($i: ResumeGoalInput!) { resumeGoal(input: $i) { goal { id } } }",
         {"i": goal_id}),
        ("mutation($i: DeleteGoalInput!) { deleteGoal(input: $i) { deletedGoalId } }",
         {"i": goal_id}),
        (fund, {"i": {"name": "x", "targetAmount": "1", "funding": "ACCOUNT",
                      "accountId": ids["account"]}}),
        (fund, {"i": {"name": "x", "targetAmount": "1", "funding": "CATEGORY",
                      "categoryId": ids["category"]}}),
    ]  # fmt: skip
    attempts.append(("query($t: ID!) { exchangeRate(id: $t) { id } }", {"t": ids["rate"]}))
    attempts.append(("query($t: ID!) { node(id: $t) { id } }", {"t": ids["rate"]}))
    attempts.append(("query($t: ID!) { categoryGroup(id: $t) { id } }", {"t": ids["group"]}))
    attempts.append(("query($t: ID!) { node(id: $t) { id } }", {"t": ids["group"]}))
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
    report = """query($f: TransactionFilter) { spendingReport(from: "2026-01-01", to: "2026-12-31",
      groupBy: CATEGORY, interval: MONTH, filter: $f) { total { amount } } }"""
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
        (report, {"f": {"accountIds": [ids["account"]]}}),
        (report, {"f": {"categoryIds": [ids["category"]]}}),
        (report, {"f": {"payeeIds": [ids["payee"]]}}),
        (report, {"f": {"tagIds": [ids["tag"]]}}),
        (update.replace("notes: \"x\"", "payeeId: \"" + ids["payee"] + "\""),
         {"t": mine["id"]}),
    ]  # fmt: skip
    rule = """mutation($i: CreateRuleInput!) { createRule(input: $i) { rule { id } } }"""
    some_text = {"descriptionContains": "x"}
    my_category = {"setCategoryId": intruders["Dining"]}
    preview = "query($i: PreviewRuleInput!) { previewRule(input: $i) { totalCount } }"
    attempts += [
        (rule, {"i": {"name": "x", "conditions": some_text,
                      "actions": {"setCategoryId": ids["category"]}}}),
        (rule, {"i": {"name": "x", "conditions": some_text,
                      "actions": {"setPayeeId": ids["payee"]}}}),
        (rule, {"i": {"name": "x", "conditions": some_text,
                      "actions": {"addTagIds": [ids["tag"]]}}}),
        (rule, {"i": {"name": "x", "conditions": {"accountIds": [ids["account"]]},
                      "actions": my_category}}),
        (rule, {"i": {"name": "x", "conditions": {"payeeIds": [ids["payee"]]},
                      "actions": my_category}}),
        ("mutation($t: ID!) { updateRule(input: {id: $t, name: \"x\"}) { rule { id } } }",
         {"t": ids["rule"]}),
        ("mutation($t: ID!) { deleteRule(input: {id: $t}) { deletedRuleId } }", {"t": ids["rule"]}),
        ("mutation($t: ID!) { reorderRules(input: {ruleIds: [$t]}) { rules { id } } }",
         {"t": ids["rule"]}),
        ("mutation($t: ID!) { applyRule(input: {ruleId: $t}) { changedCount } }",
         {"t": ids["rule"]}),
        (preview, {"i": {"ruleId": ids["rule"]}}),
        (preview, {"i": {"conditions": some_text, "actions": {"setCategoryId": ids["category"]}}}),
        (preview, {"i": {"conditions": {"accountIds": [ids["account"]]}, "actions": my_category}}),
    ]  # fmt: skip
    for kind in ("account", "transaction", "category", "budget", "goal", "payee", "tag", "rule"):
        attempts.append((f"query($t: ID!) {{ {kind}(id: $t) {{ id }} }}", {"t": ids[kind]}))
        attempts.append(("query($t: ID!) { node(id: $t) { id } }", {"t": ids[kind]}))

    for query, variables in attempts:
        result = await execute(query, variables, user_id=intruder)
        assert error_codes(result) == ["NOT_FOUND"], query

    assert await data(EVERYTHING, user_id=owner) == before
    assert await data(RULES, user_id=owner) == rules_before
    assert rules_before["rules"]["totalCount"] == 1
    assert (await data(RULES, user_id=intruder))["rules"]["totalCount"] == 0
    seen = await data(EVERYTHING, user_id=intruder)
    reports_before = await data(REPORTS, user_id=owner)
    assert seen["transactions"]["totalCount"] == 1  # their own, "mine"
    assert seen["budgets"] == seen["goals"] == seen["spendingByCategory"] == []
    assert seen["exchangeRates"]["edges"] == []
    assert seen["recurringSeries"]["totalCount"] == 0
    assert seen["upcomingBills"] == []
    assert before["recurringSeries"]["totalCount"] == 1
    assert seen["tags"] == seen["transferCandidates"] == []
    assert [edge["node"]["name"] for edge in seen["payees"]["edges"]] == ["mine"]
    assert {point["income"]["amount"] for point in seen["cashFlow"]} == {"0.00"}
    reports = await data(REPORTS, user_id=intruder)
    assert reports["spendingReport"]["total"]["amount"] == "1.00"  # their own, "mine"
    assert [row["name"] for p in reports["spendingReport"]["periods"] for row in p["rows"]] == [
        "mine"
    ]
    assert await data(REPORTS, user_id=owner) == reports_before
    assert all(row["key"] is None for p in reports["taggedReport"]["periods"] for row in p["rows"])
    assert {point["amount"]["amount"] for point in seen["netWorth"]} <= {"0.00", "-1.00"}
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
