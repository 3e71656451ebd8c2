"""The one error mapping: typed errors keep their code, invalid requests are BAD_USER_INPUT,
everything else is masked as INTERNAL and logged with the request id.
"""

from __future__ import annotations

import re
from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension

from shared.errors import TallyError
from shared.logging import get_logger

log = get_logger(__name__)

INTERNAL_MESSAGE = "Internal server error."


def internal_extensions(request_id: str) -> dict[str, Any]:
    """What a client sees of an unexpected failure: its code, and the id to quote to support."""
    return {"code": "INTERNAL", "requestId": request_id}


# graphql-core names the offending input in its coercion messages, e.g.
# "Variable '$input' got invalid value 'x' at 'input.amount'; ..." or "... argument 'month' ...".
_FIELD_PATTERNS = (
    re.compile(r"Variable '\$(\w+)' has invalid value at \.([\w.\[\]]+)"),
    re.compile(r" at '([\w.\[\]]+)'"),
    re.compile(r"Variable '\$(\w+)'"),
    re.compile(r"[Aa]rgument '(\w+)'"),
    re.compile(r"[Ff]ield '(\w+)'"),
)


def _input_field(message: str) -> str | None:
    for pattern in _FIELD_PATTERNS:
        match = pattern.search(message)
        if match:
            return ".".join(match.groups())
    return None


# graphql-core's suggestions are a sentence of their own, "Did you mean 'name'?", in messages
# about fields, arguments, types, input fields, enum values and fragments. Names hold no "?".
_SUGGESTIONS = re.compile(r" ?Did you mean [^?]*\?")


def classify(
    error: GraphQLError, request_id: str, *, hide_suggestions: bool = False
) -> GraphQLError:
    original = error.original_error
    if isinstance(original, TallyError):
        return error
    if original is None or (isinstance(original, ValueError | GraphQLError) and error.path is None):
        extensions: dict[str, Any] = {"code": "BAD_USER_INPUT"}
        field = _input_field(error.message)
        if field:
            extensions["field"] = field
        return GraphQLError(
            _SUGGESTIONS.sub("", error.message) if hide_suggestions else error.message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions=extensions,
        )
    log.error(
        "unexpected_error",
        request_id=request_id,
        path=error.path,
        exc_info=(type(original), original, original.__traceback__),
    )
    return GraphQLError(
        INTERNAL_MESSAGE,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=internal_extensions(request_id),
    )


class ErrorCodes(SchemaExtension):
    hide_suggestions = False

    def on_operation(self):  # type: ignore[no-untyped-def]
        yield
        result = self.execution_context.result
        if result is None or not result.errors:
            return
        context = self.execution_context.context
        request_id = getattr(context, "request_id", "-")
        result.errors = [
            classify(error, request_id, hide_suggestions=self.hide_suggestions)
            for error in result.errors
        ]
        response = getattr(context, "http_response", None)
        if response is not None and any(_is_syntax_error(error) for error in result.errors):
            # A document that does not parse is a malformed request, not a GraphQL answer.
            response.status_code = 400


class ProductionErrorCodes(ErrorCodes):
    """The same mapping without "did you mean": suggestions would let a stranger map the
    schema that introspection hides."""

    hide_suggestions = True


def _is_syntax_error(error: GraphQLError) -> bool:
    return isinstance(error, GraphQLSyntaxError) or error.message.startswith("Syntax Error")
