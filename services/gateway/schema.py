"""One graph, composed in-process from the services' Strawberry types."""

from __future__ import annotations

import importlib
from typing import Any

import strawberry
from graphql import GraphQLError, NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from services.gateway.cost import OperationCost
from services.gateway.errors import ErrorCodes, ProductionErrorCodes, log_error
from services.gateway.metrics import OperationMetrics
from shared.graphql import SCALAR_MAP

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
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Strawberry's default logs every error with a traceback, a client's typo as loudly as
        # a crash. Strawberry calls this once per error, before the extensions mask them.
        context = getattr(execution_context, "context", None)
        request_id = getattr(context, "request_id", "-")
        for error in errors:
            log_error(error, request_id)


def build_schema(*, environment: str) -> strawberry.Schema:
    """The public schema with its limits (extensions as factories: one instance per request).

    Introspection only in development; "did you mean" suggestions never in production."""
    production = environment == "production"
    extensions: list[Any] = [
        ProductionErrorCodes if production else ErrorCodes,
        OperationMetrics,
        lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
        lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        OperationCost,
    ]
    if environment != "development":
        extensions.append(lambda: AddValidationRules([NoSchemaIntrospectionCustomRule]))
    queries = _contributions("Query")
    mutations = _contributions("Mutation")
    subscriptions = _contributions("Subscription")
    return TallySchema(
        query=merge_types("Query", queries),
        mutation=merge_types("Mutation", mutations) if mutations else None,
        subscription=merge_types("Subscription", subscriptions) if subscriptions else None,
        extensions=extensions,
        config=StrawberryConfig(disable_field_suggestions=production, scalar_map=SCALAR_MAP),
    )
