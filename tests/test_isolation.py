"""Every user's data is theirs alone: user B can neither read nor change anything of user A's,
through any query, field, id or mutation. The test walks the schema, so a new root field
without an isolation case here fails it.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from graphql import (
    GraphQLArgument,
    GraphQLInputObjectType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLUnionType,
    Undefined,
    get_named_type,
)

from services.gateway import cost
from services.gateway.identity.throttle import Limit
from tests.support.client import TallyClient, eventually
from tests.support.graphql import schema

# Root fields whose arguments carry no id of an owned object: B calls them as themselves
# (reads are checked for A's ids in the answer; writes must leave A's data unchanged).
NO_OWNED_INPUT = {
    "Query.me", "Query.accounts", "Query.transactions", "Query.categories", "Query.budgets",
    "Query.goals", "Query.spendingByCategory", "Query.cashFlow", "Query.netWorth",
    "Query.linkedInstitutions", "Query.alertRules", "Query.notifications", "Query.importJobs",
    "Mutation.signUp", "Mutation.logIn", "Mutation.refreshSession", "Mutation.logOut",
    "Mutation.setTimeZone",
    "Mutation.createAccount", "Mutation.createGoal", "Mutation.createLinkToken",
    "Mutation.linkInstitution", "Subscription.notifications",
    "Query.ledgerSettings", "Query.exchangeRates", "Query.missingExchangeRates",
    "Mutation.setBaseCurrency", "Mutation.setExchangeRate", "Mutation.importExchangeRates",
    "Query.recurringSeries", "Query.upcomingBills", "Mutation.detectRecurring",
    "Query.categoryGroups", "Query.budgetMonth", "Mutation.createCategoryGroup",
    "Mutation.setBudgetStyle", "Mutation.copyBudgets",
    "Query.payees", "Query.tags", "Query.transferCandidates", "Mutation.createTag",
    "Mutation.deleteMyAccount",
    "Query.rules",
    "Query.vapidPublicKey", "Query.pushSubscriptions", "Query.webhooks",
    "Mutation.registerPushSubscription", "Mutation.createWebhook",
    "Query.notificationSettings", "Mutation.updateNotificationSettings",
}  # fmt: skip

# Root fields that take ids: each is called by B with A's ids and must answer NOT_FOUND.
ID_CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "Mutation.createTransaction": (
        "mutation($i: CreateTransactionInput!) { createTransaction(input: $i) {"
        " transaction { id } } }",
        {"i": {"accountId": "{account}", "date": "2026-11-01", "amount": "-1.00",
               "description": "sneaky"}},
    ),
    "Mutation.createTransaction#category": (
        "mutation($i: CreateTransactionInput!) { createTransaction(input: $i) {"
        " transaction { id } } }",
        {"i": {"accountId": "{b_account}", "date": "2026-11-01", "amount": "-1.00",
               "description": "sneaky", "categoryId": "{category}"}},
    ),
    "Mutation.updateTransaction": (
        "mutation($id: ID!) { updateTransaction(input: {id: $id, notes: \"mine\"}) {"
        " transaction { id } } }",
        {"id": "{transaction}"},
    ),
    "Mutation.updateTransaction#category": (
        "mutation($id: ID!, $c: ID) { updateTransaction(input: {id: $id, categoryId: $c}) {"
        " transaction { id } } }",
        {"id": "{b_transaction}", "c": "{category}"},
    ),
    "Mutation.deleteTransaction": (
        "mutation($id: ID!) { deleteTransaction(input: {id: $id}) { deletedTransactionId } }",
        {"id": "{transaction}"},
    ),
    "Mutation.setBudget": (
        "mutation($i: SetBudgetInput!) { setBudget(input: $i) { budget { id } } }",
        {"i": {"categoryId": "{category}", "month": "2026-11", "amount": "1.00"}},
    ),
    "Mutation.deleteExchangeRate": (
        "mutation($i: DeleteExchangeRateInput!) { deleteExchangeRate(input: $i) "
        "{ deletedExchangeRateId } }",
        {"i": {"id": "{exchange_rate}"}},
    ),
    "Mutation.contributeToGoal": (
        "mutation($id: ID!) { contributeToGoal(input: {goalId: $id, amount: \"1.00\"}) {"
        " goal { id } } }",
        {"id": "{goal}"},
    ),
    "Mutation.syncInstitution": (
        "mutation($id: ID!) { syncInstitution(input: {id: $id}) { linkedInstitution { id } } }",
        {"id": "{institution}"},
    ),
    "Mutation.unlinkInstitution": (
        "mutation($id: ID!) { unlinkInstitution(input: {id: $id, history: DELETE}) {"
        " unlinkedInstitutionId } }",
        {"id": "{institution}"},
    ),
    "Mutation.createAlertRule": (
        "mutation($i: CreateAlertRuleInput!) { createAlertRule(input: $i) { alertRule { id } } }",
        {"i": {"kind": "BUDGET_OVERSPENT", "categoryId": "{category}"}},
    ),
    "Mutation.updateAlertRule": (
        "mutation($id: ID!) { updateAlertRule(input: {id: $id, enabled: false}) {"
        " alertRule { id } } }",
        {"id": "{alert_rule}"},
    ),
    "Mutation.updateAlertRule#category": (
        "mutation($id: ID!, $c: ID) { updateAlertRule(input: {id: $id, categoryId: $c}) {"
        " alertRule { id } } }",
        {"id": "{b_alert_rule}", "c": "{category}"},
    ),
    "Mutation.createAlertRule#account": (
        "mutation($i: CreateAlertRuleInput!) { createAlertRule(input: $i) { alertRule { id } } }",
        {"i": {"kind": "LOW_BALANCE", "threshold": "10.00", "accountId": "{account}"}},
    ),
    "Mutation.createAlertRule#tag": (
        "mutation($i: CreateAlertRuleInput!) { createAlertRule(input: $i) { alertRule { id } } }",
        {"i": {"kind": "LARGE_TRANSACTION", "threshold": "10.00", "tagId": "{tag}"}},
    ),
    "Mutation.updateAlertRule#account": (
        "mutation($id: ID!, $a: ID) { updateAlertRule(input: {id: $id, accountId: $a}) {"
        " alertRule { id } } }",
        {"id": "{b_large_alert_rule}", "a": "{account}"},
    ),
    "Mutation.updateAlertRule#tag": (
        "mutation($id: ID!, $t: ID) { updateAlertRule(input: {id: $id, tagId: $t}) {"
        " alertRule { id } } }",
        {"id": "{b_large_alert_rule}", "t": "{tag}"},
    ),
    "Mutation.snoozeAlertRule": (
        "mutation($id: ID!) { snoozeAlertRule(input: {id: $id,"
        ' until: "2099-01-01T00:00:00+00:00"}) { alertRule { id } } }',
        {"id": "{alert_rule}"},
    ),
    "Mutation.unsnoozeAlertRule": (
        "mutation($id: ID!) { unsnoozeAlertRule(input: {id: $id}) { alertRule { id } } }",
        {"id": "{alert_rule}"},
    ),
    "Mutation.deleteAlertRule": (
        "mutation($id: ID!) { deleteAlertRule(input: {id: $id}) { deletedAlertRuleId } }",
        {"id": "{alert_rule}"},
    ),
    "Mutation.unregisterPushSubscription": (
        "mutation($e: String!) { unregisterPushSubscription(input: {endpoint: $e}) {"
        " unregisteredPushSubscriptionId } }",
        {"e": "{push_endpoint}"},
    ),
    "Mutation.updateWebhook": (
        "mutation($id: ID!) { updateWebhook(input: {id: $id, enabled: false}) {"
        " webhook { id } } }",
        {"id": "{webhook}"},
    ),
    "Mutation.deleteWebhook": (
        "mutation($id: ID!) { deleteWebhook(input: {id: $id}) { deletedWebhookId } }",
        {"id": "{webhook}"},
    ),
    "Mutation.markNotificationsRead": (
        "mutation($ids: [ID!]!) { markNotificationsRead(input: {ids: $ids}) { markedCount } }",
        {"ids": ["{notification}"]},
    ),
    "Mutation.createLinkToken": (
        "mutation($id: ID) { createLinkToken(input: {linkedInstitutionId: $id}) { linkToken } }",
        {"id": "{institution}"},
    ),
    **{
        f"Mutation.{verdict}Recurring": (
            f"mutation($id: ID!) {{ {verdict}Recurring(input: {{id: $id}}) {{"
            " recurringSeries { id } } }",
            {"id": "{recurring}"},
        )
        for verdict in ("confirm", "dismiss")
    },
    "Mutation.updateRecurring": (
        "mutation($id: ID!) { updateRecurring(input: {id: $id, name: \"mine\"}) {"
        " recurringSeries { id } } }",
        {"id": "{recurring}"},
    ),
    "Mutation.deleteRecurring": (
        "mutation($id: ID!) { deleteRecurring(input: {id: $id}) { deletedRecurringSeriesId } }",
        {"id": "{recurring}"},
    ),
    "Mutation.updateAccount": (
        "mutation($id: ID!) { updateAccount(input: {id: $id, name: \"mine\"}) { account { id } } }",
        {"id": "{account}"},
    ),
    "Mutation.closeAccount": (
        "mutation($id: ID!) { closeAccount(input: {id: $id}) { account { id } } }",
        {"id": "{account}"},
    ),
    "Mutation.reopenAccount": (
        "mutation($id: ID!) { reopenAccount(input: {id: $id}) { account { id } } }",
        {"id": "{account}"},
    ),
    "Mutation.deleteAccount": (
        "mutation($id: ID!) { deleteAccount(input: {id: $id}) { deletedAccountId } }",
        {"id": "{account}"},
    ),
    "Mutation.reconcileAccount": (
        "mutation($i: ReconcileAccountInput!) { reconcileAccount(input: $i) {"
        " newlyClearedCount } }",
        {"i": {"id": "{account}", "statementDate": "2026-01-31", "statementBalance": "0"}},
    ),
    "Mutation.reconcileAccount#transaction": (
        "mutation($i: ReconcileAccountInput!) { reconcileAccount(input: $i) {"
        " newlyClearedCount } }",
        {"i": {"id": "{b_account}", "statementDate": "2026-01-31", "statementBalance": "0",
               "transactionIds": ["{transaction}"]}},
    ),
    "Mutation.setTransactionsCleared": (
        "mutation($ids: [ID!]!) { setTransactionsCleared(input: {ids: $ids, cleared: true}) {"
        " transactions { id } } }",
        {"ids": ["{transaction}"]},
    ),
    "Mutation.createGoal#account": (
        "mutation($a: ID) { createGoal(input: {name: \"x\", targetAmount: \"1\","
        " funding: ACCOUNT, accountId: $a}) { goal { id } } }",
        {"a": "{account}"},
    ),
    "Mutation.createGoal#category": (
        "mutation($c: ID) { createGoal(input: {name: \"x\", targetAmount: \"1\","
        " funding: CATEGORY, categoryId: $c}) { goal { id } } }",
        {"c": "{category}"},
    ),
    "Mutation.updateGoal": (
        "mutation($id: ID!) { updateGoal(input: {id: $id, name: \"mine\"}) { goal { id } } }",
        {"id": "{goal}"},
    ),
    "Mutation.pauseGoal": (
        "mutation($id: ID!) { pauseGoal(input: {id: $id}) { goal { id } } }",
        {"id": "{goal}"},
    ),
    "Mutation.resumeGoal": (
        "mutation($id: ID!) { resumeGoal(input: {id: $id}) { goal { id } } }",
        {"id": "{goal}"},
    ),
    "Mutation.deleteGoal": (
        "mutation($id: ID!) { deleteGoal(input: {id: $id}) { deletedGoalId } }",
        {"id": "{goal}"},
    ),
    "Mutation.createCategory": (
        "mutation($i: CreateCategoryInput!) { createCategory(input: $i) { category { id } } }",
        {"i": {"name": "Sneaky", "groupId": "{category_group}"}},
    ),
    "Mutation.updateCategory": (
        "mutation($i: UpdateCategoryInput!) { updateCategory(input: $i) { category { id } } }",
        {"i": {"id": "{category}", "name": "Mine now", "hidden": True}},
    ),
    "Mutation.updateCategory#group": (
        "mutation($i: UpdateCategoryInput!) { updateCategory(input: $i) { category { id } } }",
        {"i": {"id": "{b_category}", "groupId": "{category_group}"}},
    ),
    "Mutation.mergeCategories": (
        "mutation($i: MergeCategoriesInput!) { mergeCategories(input: $i) { mergedCategoryId } }",
        {"i": {"sourceId": "{category}", "targetId": "{b_category}"}},
    ),
    "Mutation.mergeCategories#target": (
        "mutation($i: MergeCategoriesInput!) { mergeCategories(input: $i) { mergedCategoryId } }",
        {"i": {"sourceId": "{b_category}", "targetId": "{category}"}},
    ),
    "Mutation.deleteCategory": (
        "mutation($i: DeleteCategoryInput!) { deleteCategory(input: $i) { deletedCategoryId } }",
        {"i": {"id": "{category}"}},
    ),
    "Mutation.updateCategoryGroup": (
        "mutation($i: UpdateCategoryGroupInput!) { updateCategoryGroup(input: $i) {"
        " categoryGroup { id } } }",
        {"i": {"id": "{category_group}", "name": "Mine now", "position": 0}},
    ),
    "Mutation.deleteCategoryGroup": (
        "mutation($i: DeleteCategoryGroupInput!) { deleteCategoryGroup(input: $i) {"
        " deletedCategoryGroupId } }",
        {"i": {"id": "{empty_category_group}"}},
    ),
    "Mutation.moveBudget": (
        "mutation($i: MoveBudgetInput!) { moveBudget(input: $i) { fromBudget { id } } }",
        {"i": {"fromCategoryId": "{category}", "toCategoryId": "{b_category}",
               "month": "2026-11", "amount": "1.00"}},
    ),
    "Mutation.moveBudget#target": (
        "mutation($i: MoveBudgetInput!) { moveBudget(input: $i) { fromBudget { id } } }",
        {"i": {"fromCategoryId": "{b_category}", "toCategoryId": "{category}",
               "month": "2026-11", "amount": "1.00"}},
    ),
    "Query.transactions#account": (
        "query($a: ID) { transactions(filter: {accountId: $a}) { edges { node { id } } } }",
        {"a": "{account}"},
    ),
    "Query.transactions#category": (
        "query($c: ID) { transactions(filter: {categoryId: $c}) { edges { node { id } } } }",
        {"c": "{category}"},
    ),
    "Query.importPreview": (
        "query($i: ImportPreviewInput!) { importPreview(input: $i) { rowsTotal } }",
        {"i": {"importJobId": "{import_job}"}},
    ),
    "Query.exportTransactionsCsv": (
        "query($a: ID) { exportTransactionsCsv(filter: {accountId: $a}) { text } }",
        {"a": "{account}"},
    ),
    "Query.exportTransactionsCsv#category": (
        "query($c: ID) { exportTransactionsCsv(filter: {categoryId: $c}) { text } }",
        {"c": "{category}"},
    ),
    "Mutation.startImport": (
        "mutation($i: StartImportInput!) { startImport(input: $i) { importJob { id } } }",
        {"i": {"accountId": "{account}", "format": "OFX", "text": "sneaky"}},
    ),
    "Mutation.appendImportText": (
        "mutation($i: AppendImportTextInput!) { appendImportText(input: $i) { importJob { id } } }",
        {"i": {"importJobId": "{import_job}", "part": 2, "text": "sneaky"}},
    ),
    "Mutation.runImport": (
        "mutation($i: RunImportInput!) { runImport(input: $i) { importJob { id } } }",
        {"i": {"importJobId": "{import_job}"}},
    ),
    **{
        f"Query.{field}": (f"query($id: ID!) {{ {field}(id: $id) {{ id }} }}", {"id": f"{{{key}}}"})
        for field, key in (
            ("account", "account"), ("transaction", "transaction"), ("category", "category"),
            ("budget", "budget"), ("goal", "goal"), ("linkedInstitution", "institution"),
            ("alertRule", "alert_rule"), ("notification", "notification"),
            ("exchangeRate", "exchange_rate"), ("importJob", "import_job"),
            ("recurring", "recurring"), ("categoryGroup", "category_group"),
            ("payee", "payee"), ("tag", "tag"),
        )
    },
    **{
        f"Query.node#{key}": ("query($id: ID!) { node(id: $id) { id } }", {"id": f"{{{key}}}"})
        for key in ("account", "transaction", "category", "budget", "goal", "institution",
                    "alert_rule", "notification", "user", "exchange_rate",
                    "import_job", "recurring", "category_group", "payee", "tag",
                    "webhook", "push_subscription")
    },
    # The transaction model: payees, tags, splits, transfers, the filter language, bulk edit.
    "Query.transactions#payee": (
        "query($p: ID!) { transactions(filter: {payeeIds: [$p]}) { totalCount } }",
        {"p": "{payee}"},
    ),
    "Query.transactions#tag": (
        "query($t: ID!) { transactions(filter: {tagIds: [$t]}) { totalCount } }", {"t": "{tag}"},
    ),
    "Mutation.renamePayee": (
        "mutation($id: ID!) { renamePayee(input: {id: $id, name: \"mine\"}) { payee { id } } }",
        {"id": "{payee}"},
    ),
    "Mutation.mergePayees": (
        "mutation($s: ID!, $t: ID!) { mergePayees(input: {sourceIds: [$s], targetId: $t}) {"
        " payee { id } } }",
        {"s": "{payee}", "t": "{b_payee}"},
    ),
    "Mutation.mergePayees#target": (
        "mutation($s: ID!, $t: ID!) { mergePayees(input: {sourceIds: [$s], targetId: $t}) {"
        " payee { id } } }",
        {"s": "{b_payee}", "t": "{payee}"},
    ),
    "Mutation.renameTag": (
        "mutation($id: ID!) { renameTag(input: {id: $id, name: \"mine\"}) { tag { id } } }",
        {"id": "{tag}"},
    ),
    "Mutation.deleteTag": (
        "mutation($id: ID!) { deleteTag(input: {id: $id}) { deletedTagId } }", {"id": "{tag}"},
    ),
    "Mutation.updateTransaction#payee": (
        "mutation($id: ID!, $p: ID) { updateTransaction(input: {id: $id, payeeId: $p}) {"
        " transaction { id } } }",
        {"id": "{b_transaction}", "p": "{payee}"},
    ),
    "Mutation.updateTransaction#tag": (
        "mutation($id: ID!, $t: ID!) { updateTransaction(input: {id: $id, tagIds: [$t]}) {"
        " transaction { id } } }",
        {"id": "{b_transaction}", "t": "{tag}"},
    ),
    "Mutation.splitTransaction": (
        "mutation($i: SplitTransactionInput!) { splitTransaction(input: $i) {"
        " transaction { id } } }",
        {"i": {"id": "{transaction}", "parts": [{"amount": "-40.00"}, {"amount": "-2.00"}]}},
    ),
    "Mutation.splitTransaction#category": (
        "mutation($i: SplitTransactionInput!) { splitTransaction(input: $i) {"
        " transaction { id } } }",
        {"i": {"id": "{b_transaction}", "parts": [{"amount": "-40.00", "categoryId": "{category}"},
                                                 {"amount": "-2.00"}]}},
    ),
    "Mutation.unsplitTransaction": (
        "mutation($id: ID!) { unsplitTransaction(input: {id: $id}) { transaction { id } } }",
        {"id": "{transaction}"},
    ),
    "Mutation.createTransfer": (
        "mutation($i: CreateTransferInput!) { createTransfer(input: $i) { outflow { id } } }",
        {"i": {"fromAccountId": "{account}", "toAccountId": "{b_account}", "date": "2026-11-01",
               "amount": "1.00"}},
    ),
    "Mutation.createTransfer#to": (
        "mutation($i: CreateTransferInput!) { createTransfer(input: $i) { outflow { id } } }",
        {"i": {"fromAccountId": "{b_account}", "toAccountId": "{account}", "date": "2026-11-01",
               "amount": "1.00"}},
    ),
    "Mutation.linkTransfer": (
        "mutation($a: ID!, $b: ID!) { linkTransfer(input: {ids: [$a, $b]}) { outflow { id } } }",
        {"a": "{transaction}", "b": "{b_transaction}"},
    ),
    "Mutation.unlinkTransfer": (
        "mutation($id: ID!) { unlinkTransfer(input: {id: $id}) { transactions { id } } }",
        {"id": "{transaction}"},
    ),
    "Mutation.bulkEditTransactions": (
        "mutation($i: BulkEditTransactionsInput!) { bulkEditTransactions(input: $i) {"
        " changedCount } }",
        {"i": {"ids": ["{transaction}"], "setReviewed": False}},
    ),
    "Mutation.bulkEditTransactions#filter": (
        "mutation($i: BulkEditTransactionsInput!) { bulkEditTransactions(input: $i) {"
        " changedCount } }",
        {"i": {"filter": {"accountIds": ["{account}"]}, "setReviewed": False}},
    ),
    "Mutation.bulkEditTransactions#category": (
        "mutation($i: BulkEditTransactionsInput!) { bulkEditTransactions(input: $i) {"
        " changedCount } }",
        {"i": {"ids": ["{b_transaction}"], "setCategoryId": "{category}"}},
    ),
    "Mutation.bulkEditTransactions#tag": (
        "mutation($i: BulkEditTransactionsInput!) { bulkEditTransactions(input: $i) {"
        " changedCount } }",
        {"i": {"filter": {}, "addTagIds": ["{tag}"]}},
    ),
    # Transaction rules: every id a rule names (in its conditions or actions) is the caller's.
    **{
        f"Mutation.createRule#{key}": (
            "mutation($i: CreateRuleInput!) { createRule(input: $i) { rule { id } } }",
            {"i": {"name": "sneaky", "conditions": conditions, "actions": actions}},
        )
        for key, conditions, actions in (
            ("category", {"descriptionContains": "a"}, {"setCategoryId": "{category}"}),
            ("payee", {"descriptionContains": "a"}, {"setPayeeId": "{payee}"}),
            ("tag", {"descriptionContains": "a"}, {"addTagIds": ["{tag}"]}),
            ("account", {"accountIds": ["{account}"]}, {"setCategoryId": "{b_category}"}),
            ("payee_condition", {"payeeIds": ["{payee}"]}, {"setCategoryId": "{b_category}"}),
        )
    },
    "Mutation.updateRule": (
        "mutation($id: ID!) { updateRule(input: {id: $id, enabled: false}) { rule { id } } }",
        {"id": "{rule}"},
    ),
    "Mutation.updateRule#category": (
        "mutation($id: ID!, $c: ID) { updateRule(input: {id: $id, actions: {setCategoryId: $c}})"
        " { rule { id } } }",
        {"id": "{b_rule}", "c": "{category}"},
    ),
    "Mutation.deleteRule": (
        "mutation($id: ID!) { deleteRule(input: {id: $id}) { deletedRuleId } }", {"id": "{rule}"},
    ),
    "Mutation.reorderRules": (
        "mutation($id: ID!) { reorderRules(input: {ruleIds: [$id]}) { rules { id } } }",
        {"id": "{rule}"},
    ),
    "Mutation.applyRule": (
        "mutation($id: ID!) { applyRule(input: {ruleId: $id}) { changedCount } }",
        {"id": "{rule}"},
    ),
    "Query.previewRule": (
        "query($id: ID) { previewRule(input: {ruleId: $id}) { totalCount } }", {"id": "{rule}"},
    ),
    "Query.previewRule#category": (
        "query($c: ID) { previewRule(input: {conditions: {descriptionContains: \"a\"},"
        " actions: {setCategoryId: $c}}) { totalCount } }",
        {"c": "{category}"},
    ),
    "Query.rule": ("query($id: ID!) { rule(id: $id) { id } }", {"id": "{rule}"}),
    "Query.node#rule": ("query($id: ID!) { node(id: $id) { id } }", {"id": "{rule}"}),
    # Reports by grouping: the filter's ids must be the caller's.
    "Query.spendingReport#account": (
        "query($a: ID!) { spendingReport(from: \"2026-01-01\", to: \"2026-12-31\", "
        "groupBy: CATEGORY, interval: MONTH, filter: {accountIds: [$a]}) { total { amount } } }",
        {"a": "{account}"},
    ),
    "Query.spendingReport#category": (
        "query($c: ID!) { spendingReport(from: \"2026-01-01\", to: \"2026-12-31\", "
        "groupBy: PAYEE, interval: WEEK, filter: {categoryIds: [$c]}) { total { amount } } }",
        {"c": "{category}"},
    ),
}  # fmt: skip

# Root queries whose required input names one object by its id: tried with A's ids above, not
# walked by _everything (they have nothing to list).
READ_BY_ID = {"Query.importPreview", "Query.previewRule"}

# Extra root fields other engineers may add take ids too: each must get a case above.
OPTIONAL_ID_CASES: dict[str, tuple[str, dict[str, Any]]] = {}


def _fill(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    if isinstance(value, dict):
        return {key: _fill(item, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill(item, ids) for item in value]
    return value


def _selection(output: GraphQLOutputType, depth: int = 0) -> str:
    """Every field without required arguments, a few levels deep."""
    named = get_named_type(output)
    if not isinstance(named, GraphQLObjectType):
        return ""
    parts = []
    for name, field in named.fields.items():
        if any(isinstance(arg.type, GraphQLNonNull) for arg in field.args.values()):
            continue
        inner = get_named_type(field.type)
        if isinstance(inner, GraphQLObjectType):
            inner_selection = _selection(field.type, depth + 1) if depth < 4 else ""
            if inner_selection:  # a type of objects only has nothing left to select this deep
                parts.append(f"{name} {{ {inner_selection} }}")
        elif isinstance(inner, GraphQLUnionType):  # each member it may be, by its own fields
            members = [
                f"... on {member.name} {{ {_selection(member, depth + 1)} }}"
                for member in inner.types
                if depth < 4 and _selection(member, depth + 1)
            ]
            parts.append(f"{name} {{ __typename {' '.join(members)} }}")
        else:
            parts.append(name)
    return " ".join(parts)


def _takes_ids(arguments: dict[str, GraphQLArgument]) -> bool:
    """Whether any argument, or any field of an input argument, is an ID."""
    pending = [arg.type for arg in arguments.values()]
    seen: set[str] = set()
    while pending:
        named = get_named_type(pending.pop())
        if named.name == "ID":
            return True
        if isinstance(named, GraphQLInputObjectType) and named.name not in seen:
            seen.add(named.name)
            pending.extend(field.type for field in named.fields.values())
    return False


def _public_token(base_url: str) -> str:
    response = httpx.post(
        f"{base_url}/plaid-sandbox/sandbox/public_token/create",
        json={"client_id": "local-client", "secret": "local-secret",
              "institution_id": "ins_109508", "initial_products": ["transactions"]},
        timeout=30,
    )  # fmt: skip
    assert response.status_code == 200, response.text
    return str(response.json()["public_token"])


# Enum arguments of the reports without a default: every payee's rows, month by month.
ENUM_READINGS = {"groupBy": "PAYEE", "interval": "MONTH"}


def _everything(client: TallyClient) -> dict[str, Any]:
    """All that a user can read through the argument-free (or defaulted) root queries."""
    root = schema()._schema.query_type
    assert root is not None
    seen: dict[str, Any] = {}
    today = date.today()
    # As wide as a report may be (under ten years), ending today.
    wide = {"from": f"{today.year - 9}-01-01", "to": today.isoformat()}
    for name, field in root.fields.items():
        if any(
            isinstance(arg.type, GraphQLNonNull) and get_named_type(arg.type).name == "ID"
            for arg in field.args.values()
        ):
            continue  # one object by its id: ID_CASES tries the other user's ids on it
        if f"Query.{name}" in READ_BY_ID:
            continue
        arguments = []
        for arg_name, arg in field.args.items():
            if arg_name in wide:
                arguments.append(f'{arg_name}: "{wide[arg_name]}"')
            elif arg_name == "month":
                arguments.append(f'month: "{today:%Y-%m}"')
            elif arg.default_value is not Undefined:
                continue  # the server's default reads it
            elif arg_name in ENUM_READINGS:
                arguments.append(f"{arg_name}: {ENUM_READINGS[arg_name]}")
            elif isinstance(arg.type, GraphQLNonNull):
                raise AssertionError(f"Query.{name} needs an isolation reading for {arg_name}")
        args = f"({', '.join(arguments)})" if arguments else ""
        selection = _selection(field.type)
        query = f"{{ {name}{args} {{ {selection} }} }}" if selection else f"{{ {name}{args} }}"
        seen[name] = client(query)[name]
    return seen


def _ids_in(value: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if (key == "id" or key.endswith("Id")) and isinstance(item, str):
                found.add(item)
            found |= _ids_in(item)
    elif isinstance(value, list):
        for item in value:
            found |= _ids_in(item)
    return found


def test_another_user_can_neither_read_nor_change_anything(
    live_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A reads every root field three times within the minute (before, after B's attempts,
    # after B leaves): more than a person's budget per minute, which is not what is tested here.
    monkeypatch.setattr(
        cost, "COST_PER_USER_PER_MINUTE", Limit("cost-user", attempts=20_000, window_seconds=60)
    )
    a = TallyClient(live_server)
    a_user = a.sign_up(f"iso-a-{uuid.uuid4().hex[:8]}@example.com")["user"]["id"]
    b = TallyClient(live_server)
    b.sign_up(f"iso-b-{uuid.uuid4().hex[:8]}@example.com")

    ids: dict[str, str] = {"user": a_user}
    for who, client, prefix in ((a, a, ""), (b, b, "b_")):
        account = client(
            """mutation { createAccount(input: {name: "Wallet", type: CASH, currency: "USD",
                 openingBalance: "100.00"}) { account { id } } }"""
        )["createAccount"]["account"]["id"]
        ids[f"{prefix}account"] = account
        category = who("{ categories { id name kind } }")["categories"][0]
        assert category["kind"] == "EXPENSE"  # budgeted and merged below
        category = category["id"]
        ids[f"{prefix}category"] = category
        ids[f"{prefix}transaction"] = client(
            """mutation($i: CreateTransactionInput!) {
                 createTransaction(input: $i) { transaction { id } } }""",
            {"i": {"accountId": account, "date": date.today().isoformat(), "amount": "-42.00",
                   "description": f"{prefix or 'a_'}private purchase",
                   "categoryId": category}},
        )["createTransaction"]["transaction"]["id"]  # fmt: skip
        ids[f"{prefix}payee"] = client("{ payees { edges { node { id } } } }")["payees"]["edges"][
            0
        ]["node"]["id"]
        ids[f"{prefix}tag"] = client(
            'mutation { createTag(input: {name: "private"}) { tag { id } } }'
        )["createTag"]["tag"]["id"]
        ids[f"{prefix}rule"] = client(
            "mutation($i: CreateRuleInput!) { createRule(input: $i) { rule { id } } }",
            {"i": {"name": "private", "conditions": {"descriptionContains": "private"},
                   "actions": {"setCategoryId": category, "addTagIds": [ids[f"{prefix}tag"]]}}},
        )["createRule"]["rule"]["id"]  # fmt: skip
    ids["b_alert_rule"] = b("{ alertRules { id } }")["alertRules"][0]["id"]
    ids["b_large_alert_rule"] = b(
        """mutation { createAlertRule(input: {kind: LARGE_TRANSACTION,
                                              threshold: "1000.00"}) { alertRule { id } } }"""
    )["createAlertRule"]["alertRule"]["id"]
    ids["import_job"] = a(
        "mutation($i: StartImportInput!) { startImport(input: $i) { importJob { id } } }",
        {"i": {"accountId": ids["account"], "format": "OFX", "text": "OFXHEADER:100"}},
    )["startImport"]["importJob"]["id"]
    ids["budget"] = a(
        "mutation($i: SetBudgetInput!) { setBudget(input: $i) { budget { id } } }",
        {"i": {"categoryId": ids["category"], "month": f"{date.today():%Y-%m}", "amount": "10.00"}},
    )["setBudget"]["budget"]["id"]
    ids["category_group"] = a("{ categoryGroups { id } }")["categoryGroups"][0]["id"]
    ids["empty_category_group"] = a(
        'mutation { createCategoryGroup(input: {name: "Empty"}) { categoryGroup { id } } }'
    )["createCategoryGroup"]["categoryGroup"]["id"]
    ids["goal"] = a(
        'mutation { createGoal(input: {name: "Boat", targetAmount: "900.00"}) { goal { id } } }'
    )["createGoal"]["goal"]["id"]
    a(
        'mutation($g: ID!) { contributeToGoal(input: {goalId: $g, amount: "5.00"}) {'
        " goal { id } } }",
        {"g": ids["goal"]},
    )
    ids["exchange_rate"] = a(
        """mutation { setExchangeRate(input: {currency: "EUR", date: "2026-01-01",
                                              rate: "1.0825"}) { exchangeRate { id } } }"""
    )["setExchangeRate"]["exchangeRate"]["id"]
    for weeks_ago in (2, 1, 0):
        a(
            """mutation($i: CreateTransactionInput!) {
                 createTransaction(input: $i) { transaction { id } } }""",
            {"i": {"accountId": ids["account"], "amount": "-4.99", "description": "Daily paper",
                   "date": (date.today() - timedelta(days=7 * weeks_ago)).isoformat()}},
        )  # fmt: skip
    ids["recurring"] = a("mutation { detectRecurring { newSuggestions { id } } }")[
        "detectRecurring"
    ]["newSuggestions"][0]["id"]
    ids["institution"] = a(
        "mutation($t: String!) { linkInstitution(input: {publicToken: $t}) {"
        " linkedInstitution { id } } }",
        {"t": _public_token(live_server)},
    )["linkInstitution"]["linkedInstitution"]["id"]
    eventually(lambda: a("{ linkedInstitutions { lastSyncedAt } }")["linkedInstitutions"][0]
               ["lastSyncedAt"], timeout=60)  # fmt: skip
    # The rule comes after the bank history, so only the purchase below crosses it.
    ids["alert_rule"] = a(
        """mutation { createAlertRule(input: {kind: LARGE_TRANSACTION,
                                              threshold: "45.00"}) { alertRule { id } } }"""
    )["createAlertRule"]["alertRule"]["id"]
    a(
        """mutation($i: CreateTransactionInput!) {
             createTransaction(input: $i) { transaction { id } } }""",
        {"i": {"accountId": ids["account"], "date": date.today().isoformat(), "amount": "-50.00",
               "description": "big private purchase"}},
    )  # fmt: skip
    ids["notification"] = eventually(
        lambda: [e["node"]["id"] for e in a("{ notifications { edges { node { id } } } }")
                 ["notifications"]["edges"]],
        timeout=30,
    )[0]  # fmt: skip
    ids["push_endpoint"] = f"http://127.0.0.1:9/push/{uuid.uuid4().hex}"
    ids["push_subscription"] = a(
        "mutation($i: RegisterPushSubscriptionInput!) { registerPushSubscription(input: $i) {"
        " pushSubscription { id } } }",
        {"i": {"endpoint": ids["push_endpoint"], "p256dh": _browser_key(),
               "auth": "AAAAAAAAAAAAAAAAAAAAAA"}},
    )["registerPushSubscription"]["pushSubscription"]["id"]  # fmt: skip
    ids["webhook"] = a(
        'mutation { createWebhook(input: {url: "http://127.0.0.1:9/hook"}) { webhook { id } } }'
    )["createWebhook"]["webhook"]["id"]
    # The notification's deliveries finish in the background (their statuses move from
    # PENDING): take A's view once it holds still, so that "nothing of A's changed" below
    # compares what B could have changed, not what the workers did meanwhile.
    before = _everything(a)
    for _ in range(100):
        time.sleep(0.1)
        settled = _everything(a)
        if settled == before:
            break
        before = settled
    a_ids = _ids_in(before)
    assert {ids["account"], ids["transaction"], ids["goal"], ids["institution"],
            ids["exchange_rate"], ids["recurring"], ids["payee"], ids["tag"],
            ids["rule"], ids["webhook"], ids["push_subscription"]} <= a_ids  # fmt: skip

    # Every root field must be covered here, or this test fails until it is.
    covered = NO_OWNED_INPUT | {key.split("#")[0] for key in ID_CASES} | set(OPTIONAL_ID_CASES)
    gql = schema()._schema
    roots = [("Query", gql.query_type), ("Mutation", gql.mutation_type),
             ("Subscription", gql.subscription_type)]  # fmt: skip
    fields = {f"{kind}.{name}" for kind, root in roots if root for name in root.fields}
    assert fields - covered == set(), f"add isolation cases for {sorted(fields - covered)}"
    # A field that takes an id must be tried with another user's id, not merely listed.
    with_ids = {
        f"{kind}.{name}"
        for kind, root in roots
        if root
        for name, field in root.fields.items()
        if _takes_ids(field.args)
    }
    tried = {key.split("#")[0] for key in ID_CASES} | set(OPTIONAL_ID_CASES)
    assert with_ids - tried == set(), f"try another user's ids on {sorted(with_ids - tried)}"

    # B reads: none of A's ids or texts anywhere.
    b_view = _everything(b)
    assert not (_ids_in(b_view) & a_ids)
    assert "a_private purchase" not in json.dumps(b_view)

    # B uses A's ids: NOT_FOUND, every time.
    cases = dict(ID_CASES)
    cases.update({k: v for k, v in OPTIONAL_ID_CASES.items() if k in fields})
    for name, (operation, variables) in cases.items():
        errors = b.errors(operation, _fill(variables, ids))
        codes = [error.get("extensions", {}).get("code") for error in errors]
        assert codes == ["NOT_FOUND"], f"{name}: {errors}"

    # And nothing of A's changed.
    after = _everything(a)
    after.pop("linkedInstitutions", None)
    before.pop("linkedInstitutions", None)
    assert after == before

    # B's export (GET /export/my-data) holds B's data alone; A's holds A's.
    a_export = _export(a)
    b_export = _export(b)
    assert a_ids <= _ids_in(a_export)
    assert not (_ids_in(b_export) & a_ids)
    assert "a_private purchase" not in json.dumps(b_export)
    assert "a_private purchase" in json.dumps(a_export)

    # B deletes B's account: A's data is as it was, and A is still signed in.
    deleted = b(
        """mutation { deleteMyAccount(input: {password: "correct horse battery"}) {
             deletedUserId } }"""
    )["deleteMyAccount"]
    assert deleted["deletedUserId"] != a_user
    after_b_left = _everything(a)
    after_b_left.pop("linkedInstitutions", None)
    assert after_b_left == before
    a.close()
    b.close()


def _browser_key() -> str:
    """A browser's push public key (p256dh), base64url of the uncompressed point."""
    import base64

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    raw = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _export(client: TallyClient) -> dict[str, Any]:
    response = client.http.get(
        "/export/my-data", headers={"Authorization": f"Bearer {client.token}"}
    )
    assert response.status_code == 200, response.text
    document: dict[str, Any] = response.json()
    return document
