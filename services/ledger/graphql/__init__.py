"""The ledger's GraphQL door: Strawberry types, queries and mutations, one module per
aggregate (thin: they decode ids and call the aggregate's service), the input types, and the
per-request DataLoaders that nested fields resolve through.

The gateway merges the module-level `Query` and `Mutation` into the one graph, and answers
`node(id:)` through `NODES` (each of the ledger's node types by id kind). Other services use
`Account`, `load_item_accounts` (sync's `LinkedInstitution.accounts`) and `load_accounts` from
here.
"""

from strawberry.tools import merge_types

from services.ledger.graphql.accounts import (
    Account,
    AccountMutations,
    AccountQueries,
    load_accounts,
    load_item_accounts,
    resolve_account,
)
from services.ledger.graphql.budgets import Budget, BudgetMutations, BudgetQueries, resolve_budget
from services.ledger.graphql.bulk_edit import BulkEditMutations
from services.ledger.graphql.categories import (
    Category,
    CategoryMutations,
    CategoryQueries,
    resolve_category,
    resolve_category_group,
)
from services.ledger.graphql.currencies import (
    CurrencyMutations,
    CurrencyQueries,
    resolve_exchange_rate,
)
from services.ledger.graphql.goals import Goal, GoalMutations, GoalQueries, resolve_goal
from services.ledger.graphql.import_types import resolve_import_job
from services.ledger.graphql.imports import ImportMutations, ImportQueries
from services.ledger.graphql.payees import Payee, PayeeMutations, PayeeQueries, resolve_payee
from services.ledger.graphql.reconciliation import ReconciliationMutations
from services.ledger.graphql.recurring import (
    RecurringMutations,
    RecurringQueries,
    resolve_recurring_series,
)
from services.ledger.graphql.reports import (
    CashFlowPoint,
    CategorySpending,
    NetWorthPoint,
    ReportQueries,
)
from services.ledger.graphql.rule_history import RuleHistoryMutations, RuleHistoryQueries
from services.ledger.graphql.rules import Rule, RuleMutations, RuleQueries, resolve_rule
from services.ledger.graphql.splits import SplitMutations
from services.ledger.graphql.tags import Tag, TagMutations, TagQueries, resolve_tag
from services.ledger.graphql.transactions import (
    Transaction,
    TransactionConnection,
    TransactionMutations,
    TransactionQueries,
    resolve_transaction,
)
from services.ledger.graphql.transfers import TransferMutations, TransferQueries
from shared.graphql import NodeResolver

Query = merge_types(
    "Query",
    (
        AccountQueries,
        TransactionQueries,
        CategoryQueries,
        BudgetQueries,
        GoalQueries,
        ReportQueries,
        CurrencyQueries,
        ImportQueries,
        RecurringQueries,
        PayeeQueries,
        TagQueries,
        TransferQueries,
        RuleQueries,
        RuleHistoryQueries,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        AccountMutations,
        TransactionMutations,
        BudgetMutations,
        GoalMutations,
        CurrencyMutations,
        ImportMutations,
        RecurringMutations,
        ReconciliationMutations,
        CategoryMutations,
        PayeeMutations,
        TagMutations,
        SplitMutations,
        TransferMutations,
        BulkEditMutations,
        RuleMutations,
        RuleHistoryMutations,
    ),
)

NODES: dict[str, NodeResolver] = {
    "Account": resolve_account,
    "Budget": resolve_budget,
    "Category": resolve_category,
    "ExchangeRate": resolve_exchange_rate,
    "Goal": resolve_goal,
    "ImportJob": resolve_import_job,
    "Transaction": resolve_transaction,
    "RecurringSeries": resolve_recurring_series,
    "CategoryGroup": resolve_category_group,
    "Payee": resolve_payee,
    "Tag": resolve_tag,
    "Rule": resolve_rule,
}

__all__ = [
    "NODES",
    "Account",
    "Budget",
    "CashFlowPoint",
    "Category",
    "CategorySpending",
    "Goal",
    "Mutation",
    "NetWorthPoint",
    "Payee",
    "Query",
    "Rule",
    "Tag",
    "Transaction",
    "TransactionConnection",
    "load_accounts",
    "load_item_accounts",
]
