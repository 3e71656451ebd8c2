"""One graph, composed in-process from the services' Strawberry types."""

from __future__ import annotations

import importlib
from typing import Annotated, Any

import strawberry
from graphql import GraphQLError, NoSchemaIntrospectionCustomRule, ValidationContext, ValidationRule
from strawberry.extensions import AddValidationRules, MaxTokensLimiter, QueryDepthLimiter
from strawberry.extensions.max_aliases import create_validator as max_aliases_rule
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from services.gateway.cost import OperationCost
from services.gateway.documents import CachedDocuments, DocumentCache
from services.gateway.errors import ErrorCodes, ProductionErrorCodes, log_error
from services.gateway.execution import PlannedExecutor
from services.gateway.metrics import OperationMetrics
from shared.errors import NotFound
from shared.graphql import SCALAR_MAP, Info, Node, NodeResolver, describe_from_docstrings
from shared.ids import decode_global_id

MAX_DEPTH = 10
MAX_ALIASES = 30
MAX_TOKENS = 2_000

# The gateway's own contribution comes first; then each service's `graphql` module.
CONTRIBUTORS = (
    "services.gateway.graphql",
    "services.ledger.graphql",
    "services.sync.graphql",
    "services.notifier.graphql",
)


def _contributions(root: str) -> tuple[type[Any], ...]:
    found = []
    for module_name in CONTRIBUTORS:
        module = importlib.import_module(module_name)
        contribution = getattr(module, root, None)
        if contribution is not None:
            found.append(contribution)
    return tuple(found)


class TallySchema(strawberry.Schema):
    # The parsed and validated documents of this schema's requests (documents.py).
    document_cache: DocumentCache

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Strawberry's default logs every error with a traceback, a client's typo as loudly as
        # a crash. Strawberry calls this once per error, before the extensions mask them.
        context = getattr(execution_context, "context", None)
        request_id = getattr(context, "request_id", "-")
        for error in errors:
            log_error(error, request_id)


def _depth_rule() -> type[ValidationRule]:
    """Strawberry's depth limit, minus its crash on an empty selection set (graphql-core parses
    `{ }`, and the limiter takes the max() of no depths): that is refused as bad input."""
    limit = QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules[0]

    class DepthOrEmptySelection(limit):  # type: ignore[valid-type,misc]
        def __init__(self, context: ValidationContext) -> None:
            try:
                super().__init__(context)
            except ValueError:
                ValidationRule.__init__(self, context)
                context.report_error(
                    GraphQLError("A selection set must select at least one field.")
                )

    return DepthOrEmptySelection


# Built once: validated documents are cached by their rules (documents.py), so the rules must be
# the same classes from one request to the next.
_SHAPE_RULES: tuple[type[ValidationRule], ...] = (_depth_rule(), max_aliases_rule(MAX_ALIASES))
_PRODUCTION_RULES = (*_SHAPE_RULES, NoSchemaIntrospectionCustomRule)


def _node_query() -> type[Any]:
    """`node(id:)`: the id names its kind, and the service owning that kind answers."""
    resolvers: dict[str, NodeResolver] = {}
    for module_name in CONTRIBUTORS:
        resolvers.update(getattr(importlib.import_module(module_name), "NODES", {}))

    @strawberry.type
    class NodeQuery:
        @strawberry.field
        async def node(
            self,
            info: Info,
            id: Annotated[strawberry.ID, strawberry.argument(description="Any object's id.")],
        ) -> Node | None:
            """Any of the caller's objects by its id (Relay's refetch). Another user's id,
            like an unknown one, answers NOT_FOUND."""
            kind, value = decode_global_id(id, "id")
            resolve = resolvers.get(kind)
            if resolve is None:
                raise NotFound("Node")
            return await resolve(info, value)

    return NodeQuery


def _root(name: str, description: str, parts: tuple[type[Any], ...]) -> type[Any]:
    root = merge_types(name, parts)
    root.__strawberry_definition__.description = description  # type: ignore[attr-defined]
    return root


def build_schema(*, environment: str) -> TallySchema:
    """The public schema with its limits (extensions as factories: one instance per request).

    Introspection only in development; "did you mean" suggestions never in production."""
    production = environment == "production"
    rules = list(_SHAPE_RULES if environment == "development" else _PRODUCTION_RULES)
    documents = DocumentCache()
    extensions: list[Any] = [
        ProductionErrorCodes if production else ErrorCodes,
        OperationMetrics,
        lambda: AddValidationRules(rules),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: CachedDocuments(documents),
        OperationCost,
    ]
    query = _root("Query", "What the caller can read.", (*_contributions("Query"), _node_query()))
    mutation = _root("Mutation", "What the caller can change.", _contributions("Mutation"))
    subscription = _root(
        "Subscription", "What the caller can follow live.", _contributions("Subscription")
    )
    describe_from_docstrings(query, mutation, subscription)
    schema = TallySchema(
        query=query,
        mutation=mutation,
        subscription=subscription,
        extensions=extensions,
        config=StrawberryConfig(disable_field_suggestions=production, scalar_map=SCALAR_MAP),
        execution_context_class=PlannedExecutor,
    )
    schema.document_cache = documents
    return schema
