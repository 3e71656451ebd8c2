"""The one error mapping: typed errors keep their code, invalid requests are BAD_USER_INPUT,
everything else is masked as INTERNAL. Each error is logged once with the request id: a
client's mistake as one line, an unexpected failure with its traceback.
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


def error_code(error: GraphQLError) -> str:
    """The `extensions.code` the error answers with."""
    original = error.original_error
    if isinstance(original, TallyError):
        return original.code
    if _is_invalid_request(error):
        return "BAD_USER_INPUT"
    return "INTERNAL"


def _is_invalid_request(error: GraphQLError) -> bool:
    # graphql-core's own errors (parsing, validation, coercing variables) carry no original
    # error, or a ValueError/GraphQLError raised before any field ran while coercing a value of
    # the document (which it points at). An exception the server raised on its own, wrapped
    # as an error without a place in the document, is not the client's doing.
    original = error.original_error
    return original is None or (
        isinstance(original, ValueError | GraphQLError)
        and error.path is None
        and bool(error.nodes or error.locations)
    )


def log_error(error: GraphQLError, request_id: str) -> None:
    """One line per error: a client's mistake at info, without a traceback (there is nothing of
    ours to debug); an unexpected failure at error, with its traceback."""
    code = error_code(error)
    if code != "INTERNAL":
        log.info("client_error", code=code, path=error.path, request_id=request_id)
        return
    log.error(
        "unexpected_error", path=error.path, request_id=request_id, exc_info=error.original_error
    )


def classify(
    error: GraphQLError, request_id: str, *, hide_suggestions: bool = False
) -> GraphQLError:
    """The error as the client sees it (logging is `log_error`'s). Idempotent: a streamed
    result is classified when it is sent and seen again when the operation ends."""
    if isinstance(error.original_error, TallyError) or _is_classified(error):
        return error
    if _is_invalid_request(error):
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
    return GraphQLError(
        INTERNAL_MESSAGE,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=internal_extensions(request_id),
    )


class ErrorCodes(SchemaExtension):
    """Masks every result's errors: the one result of a query or mutation, and each result a
    subscription streams over the websocket."""

    hide_suggestions = False

    def on_operation(self):  # type: ignore[no-untyped-def]
        yield
        result = self.execution_context.result
        if result is None or not result.errors:
            return
        self._mask(result)
        response = getattr(self.execution_context.context, "http_response", None)
        if response is not None and any(_is_syntax_error(error) for error in result.errors):
            # A document that does not parse is a malformed request, not a GraphQL answer.
            response.status_code = 400

    def on_stream_result(self, result):  # type: ignore[no-untyped-def]
        # Before it is sent: a subscription's error reaches the client masked like any other.
        if getattr(result, "errors", None):
            self._mask(result)
        yield

    def _mask(self, result: Any) -> None:
        request_id = getattr(self.execution_context.context, "request_id", "-")
        result.errors = [
            classify(error, request_id, hide_suggestions=self.hide_suggestions)
            for error in result.errors
        ]


class ProductionErrorCodes(ErrorCodes):
    """The same mapping without "did you mean": suggestions would let a stranger map the
    schema that introspection hides."""

    hide_suggestions = True


def _is_classified(error: GraphQLError) -> bool:
    # graphql-core's own errors carry no extensions; ours always carry a code.
    return error.original_error is None and "code" in (error.extensions or {})


def _is_syntax_error(error: GraphQLError) -> bool:
    return isinstance(error, GraphQLSyntaxError) or error.message.startswith("Syntax Error")
