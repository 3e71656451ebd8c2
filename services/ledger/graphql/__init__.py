"""Strawberry types, queries and mutations of the ledger service (thin: they call the service).

The gateway merges the module-level `Query` and `Mutation` into the one graph.
"""

from services.ledger.graphql.mutations import Mutation
from services.ledger.graphql.queries import Query
from services.ledger.graphql.types import (
    Account,
    Budget,
    CashFlowPoint,
    Category,
    CategorySpending,
    Goal,
    NetWorthPoint,
    Transaction,
    TransactionConnection,
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
]
