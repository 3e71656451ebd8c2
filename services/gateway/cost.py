"""What an operation costs, and the two limits on it: per operation, and per user per minute.

Depth, alias and token limits bound an operation's shape, not its work: thirty aliased
`cashFlow` over two centuries fit them all and cost seconds of CPU. So every field costs one,
the fields that aggregate or list many rows cost more, fragments count where they are spread,
and an operation over MAX_OPERATION_COST is refused before it runs (BAD_USER_INPUT). A
signed-in user also has a budget per minute (RATE_LIMITED once spent), shared by every gateway
through the throttle's counters.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from strawberry.extensions import SchemaExtension

from services.gateway.identity import throttle
from shared.config import get_settings
from shared.errors import RateLimited

# Fields that aggregate or page through many rows, by name (the public contract's names).
FIELD_COSTS = {
    "cashFlow": 40,
    "netWorth": 40,
    "spendingByCategory": 20,
    "transactions": 10,
    "budgets": 10,
    "notifications": 5,
    "goals": 5,
    "linkedInstitutions": 5,
    "exchangeRates": 10,
    "missingExchangeRates": 20,
    # Writes that convert or re-convert many transactions at once.
    "importExchangeRates": 40,
    "setBaseCurrency": 40,
    "setExchangeRate": 10,
    # Reads a whole imported file (up to 40 MB) or writes up to 100,000 rows of CSV.
    "importPreview": 100,
    "exportTransactionsCsv": 100,
    "importJobs": 5,
    # Recurring series: detection reads up to two years of history in one pass.
    "recurringSeries": 10,
    "upcomingBills": 10,
    "detectRecurring": 40,
    # Writes over a whole account's history (deleting it, clearing up to a statement).
    "deleteAccount": 20,
    "reconcileAccount": 10,
    "setTransactionsCleared": 5,
    # A month of budgeting adds up the whole history (one aggregate); a merge or a deletion
    # moves every transaction of a category.
    "budgetMonth": 20,
    "moveBudget": 20,
    "copyBudgets": 10,
    "mergeCategories": 20,
    "deleteCategory": 10,
    "categoryGroups": 5,
    # The transaction model: lists, matching over a range, and writes over many transactions.
    "payees": 10,
    "tags": 5,
    "transferCandidates": 20,
    "mergePayees": 10,
    "bulkEditTransactions": 40,
    # Revokes every linked bank at Plaid and deletes every row of the user.
    "deleteMyAccount": 40,
    # Transaction rules: a preview or an application reads the history the rule covers.
    "rules": 5,
    "previewRule": 40,
    "applyRule": 40,
    # Reports by grouping and interval: whole months from the stored totals, but days, weeks,
    # tags and filters read the range's transactions.
    "spendingReport": 40,
}
DEFAULT_FIELD_COST = 1
MAX_OPERATION_COST = 400
COST_PER_USER_PER_MINUTE = throttle.Limit(
    "cost-user", attempts=get_settings().cost_per_user_per_minute, window_seconds=60
)


def operation_cost(document: DocumentNode, operation_name: str | None) -> int:
    """The cost of the operation that will run (0 if there is none to run)."""
    fragments = {
        node.name.value: node
        for node in document.definitions
        if isinstance(node, FragmentDefinitionNode)
    }
    operations = [
        node for node in document.definitions if isinstance(node, OperationDefinitionNode)
    ]
    chosen = next(
        (
            node
            for node in operations
            if operation_name is None or (node.name and node.name.value == operation_name)
        ),
        None,
    )
    if chosen is None:
        return 0
    return _selection_cost(chosen.selection_set, fragments, seen=frozenset())


def _selection_cost(
    selections: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    seen: frozenset[str],
) -> int:
    if selections is None:
        return 0
    total = 0
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            total += FIELD_COSTS.get(selection.name.value, DEFAULT_FIELD_COST)
            total += _selection_cost(selection.selection_set, fragments, seen)
        elif isinstance(selection, InlineFragmentNode):
            total += _selection_cost(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is not None and name not in seen:  # a cycle is a validation error
                total += _selection_cost(fragment.selection_set, fragments, seen | {name})
    return total


# Where a request's scope records that its operation's cost was charged already, and the
# refusal that came of it (None: accepted): a request that the short path (ready_operations.py)
# hands back to Strawberry's is not charged twice.
CHARGED = "tally.cost_charged"


async def charge(context: Any, cost: int) -> GraphQLError | None:
    """Refuse an operation over the limit, else charge it to the caller's budget (a refusal
    once that is spent); None when it may run."""
    if cost > MAX_OPERATION_COST:
        return GraphQLError(
            f"This operation costs {cost}, more than the {MAX_OPERATION_COST} one request "
            "may: ask for fewer reports or lists at once."
        )
    user_id = getattr(context, "user_id", None)
    if user_id is None:
        return None
    try:
        await throttle.spend(COST_PER_USER_PER_MINUTE, str(user_id), cost)
    except RateLimited as error:
        return GraphQLError(error.message, original_error=error)
    return None


class OperationCost(SchemaExtension):
    """Refuse an operation that costs too much, and charge the caller's budget for the rest."""

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        if context.graphql_document is not None:
            request = getattr(context.context, "request", None)
            scope = request.scope if request is not None else {}
            if CHARGED in scope:
                refusal = scope[CHARGED]
            else:
                cost = operation_cost(context.graphql_document, context.operation_name)
                refusal = await charge(context.context, cost)
            if refusal is not None:
                context.result = ExecutionResult(data=None, errors=[refusal])
        yield
