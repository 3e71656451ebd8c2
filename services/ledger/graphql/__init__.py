"""The ledger's GraphQL door: Strawberry types, queries and mutations, one module per
aggregate (thin: they decode ids and call the aggregate's service), the input types, and the
per-request DataLoaders that nested fields resolve through.

The gateway merges the module-level `Query` and `Mutation` into the one graph. Other services
use `Account` and `load_item_accounts` (sync's `LinkedInstitution.accounts`) from here.
"""

from strawberry.tools import merge_types

from services.ledger.graphql.accounts import (
    Account,
    AccountMutations,
    AccountQueries,
    load_item_accounts,
)
from services.ledger.graphql.budgets import Budget, BudgetMutations, BudgetQueries
from services.ledger.graphql.categories import Category, CategoryQueries
from services.ledger.graphql.currencies import CurrencyMutations, CurrencyQueries
from services.ledger.graphql.goals import Goal, GoalMutations, GoalQueries
from services.ledger.graphql.reports import (
    CashFlowPoint,
    CategorySpending,
    NetWorthPoint,
    ReportQueries,
)
from services.ledger.graphql.transactions import (
    Transaction,
    TransactionConnection,
    TransactionMutations,
    TransactionQueries,
)

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
    ),
)
Mutation = merge_types(
    "Mutation",
    (AccountMutations, TransactionMutations, BudgetMutations, GoalMutations, CurrencyMutations),
)

__all__ = [
    "Account",
    "Budget",
    "CashFlowPoint",
    "Category",
    "CategorySpending",
    "Goal",
    "Mutation",
    "NetWorthPoint",
    "Query",
    "Transaction",
    "TransactionConnection",
    "load_item_accounts",
]
