"""Run GraphQL operations against the composed schema in-process, as a given user.

For service-level tests; end-to-end tests go through HTTP (see `tests/support/client.py`).
"""

from __future__ import annotations

import uuid
from functools import lru_cache
from typing import Any

import strawberry
from strawberry.types import ExecutionResult

from services.gateway.schema import build_schema
from shared.graphql import Context


@lru_cache(maxsize=1)
def schema() -> strawberry.Schema:
    return build_schema(environment="development")


async def execute(
    query: str, variables: dict[str, Any] | None = None, *, user_id: uuid.UUID | None
) -> ExecutionResult:
    context = Context(request=None, request_id="test", user_id=user_id)
    return await schema().execute(query, variable_values=variables, context_value=context)


async def data(
    query: str, variables: dict[str, Any] | None = None, *, user_id: uuid.UUID | None
) -> dict[str, Any]:
    """Execute and insist on success: the `data` of the result."""
    result = await execute(query, variables, user_id=user_id)
    assert not result.errors, result.errors
    assert result.data is not None
    return result.data


def error_codes(result: ExecutionResult) -> list[str]:
    return [str((error.extensions or {}).get("code")) for error in result.errors or []]
