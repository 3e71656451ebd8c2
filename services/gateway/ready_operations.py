"""Queries already known to be valid, run straight through graphql-core.

A client sends the same few queries again and again (the web app has a few dozen). The first
time, a query takes Strawberry's whole path: its HTTP view, then `Schema.execute` with the
schema's extensions (limits, parsing and validation through the document cache, error codes,
metrics, cost). That path cost about 0.45 ms of a `{ me { id } }` request's 1 ms before any
field ran, most of it in machinery that does nothing for a query that is known to be valid
and answers without errors.

Once the document cache holds a query validated without errors (documents.py), the same
text takes this path: parse the JSON body, build the context (the caller checked as always),
charge the operation's cost to the caller, execute with graphql-core and the planned executor,
record the metrics, answer. Whatever is out of the ordinary steps back to Strawberry's path,
with the body replayed, before anything is answered: a body that is not a plain JSON object of
query/variables/operationName, a document not (yet) known valid, a mutation or subscription,
an operation over the cost limit, and any error at all in the result (a query changes nothing,
so running it again is safe; its errors are then formatted, coded and logged the one way).
The cost is charged once either way: the outcome is handed to OperationCost (cost.py).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson
from graphql import DocumentNode, OperationDefinitionNode, OperationType
from graphql.execution import execute
from starlette.requests import Request
from starlette.types import Message, Receive, Scope, Send
from strawberry.execution import optimized_is_awaitable
from strawberry.types import ExecutionResult

from services.gateway.cost import (
    CHARGED,
    MAX_OPERATION_COST,
    charge,
    operation_cost,
)
from services.gateway.execution import PlannedExecutor
from services.gateway.metrics import record_operation

if TYPE_CHECKING:
    from services.gateway.documents import DocumentCache
    from services.gateway.view import TallyGraphQL

_KEYS = frozenset({"query", "variables", "operationName"})


@dataclass(frozen=True)
class ReadyQuery:
    document: DocumentNode
    operation: OperationDefinitionNode
    cost: int


def _json_media_type(scope: Scope) -> bool:
    for name, value in scope.get("headers") or ():
        if name == b"content-type":
            media_type: bytes = value.split(b";", 1)[0].strip().lower()
            return media_type == b"application/json"
    return False


async def _read_body(receive: Receive) -> tuple[bytes, list[Message]]:
    """The whole body, and the messages it came in (to replay them)."""
    messages: list[Message] = []
    chunks: list[bytes] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks), messages


def _replaying(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay


class ReadyOperations:
    """The short path for known-valid queries of one schema (see the module's docstring)."""

    # Requests answered here, and known-valid ones handed back to Strawberry's path after all
    # (read by the tests, one request at a time).
    answered = 0
    handed_back = 0

    def __init__(self, documents: DocumentCache) -> None:
        self._documents = documents
        self._operations: dict[tuple[int, str | None], ReadyQuery | None] = {}

    def ready(self, query: str, operation_name: str | None) -> ReadyQuery | None:
        document = self._documents.valid_document(query)
        if document is None:
            return None
        key = (id(document), operation_name)
        found = self._operations.get(key, _UNSET)
        if found is _UNSET:
            found = _ready_query(document, operation_name)
            if len(self._operations) > 4 * self._documents.max_documents:
                self._operations.clear()  # documents evicted since; rebuilt on demand
            self._operations[key] = found
        elif found is not None and found.document is not document:
            return None
        return found  # type: ignore[no-any-return]

    async def handle(
        self,
        view: TallyGraphQL,
        scope: Scope,
        receive: Receive,
        send: Send,
        fallback: Callable[[Scope, Receive, Send], Awaitable[None]],
    ) -> None:
        """Answer the request here, or hand it, body replayed, to `fallback`."""
        if scope["method"] != "POST" or not _json_media_type(scope):
            await fallback(scope, receive, send)
            return
        body, messages = await _read_body(receive)
        replay = _replaying(messages, receive)
        request_data = _request_data(body)
        if request_data is None:
            await fallback(scope, replay, send)
            return
        query, variables, operation_name, data = request_data
        ready = self.ready(query, operation_name)
        if ready is None or ready.cost > MAX_OPERATION_COST:
            await fallback(scope, replay, send)
            return
        view.check_request(data)  # the same checks of every string as Strawberry's path
        started = time.perf_counter()
        request = Request(scope, replay)
        sub_response = await view.get_sub_response(request)
        context = await view.get_context(request, response=sub_response)
        refusal = await charge(context, ready.cost)
        if refusal is not None:
            scope[CHARGED] = refusal
            ReadyOperations.handed_back += 1
            await fallback(scope, replay, send)
            return
        scope[CHARGED] = None
        result = execute(
            view.schema._schema,  # type: ignore[attr-defined]
            ready.document,
            context_value=context,
            variable_values=variables,
            operation_name=operation_name,
            executor_class=PlannedExecutor,
            is_awaitable=optimized_is_awaitable,  # type: ignore[arg-type]
        )
        if optimized_is_awaitable(result):
            result = await result  # type: ignore[misc]
        if result.errors:  # type: ignore[union-attr]
            ReadyOperations.handed_back += 1
            await fallback(scope, replay, send)
            return
        ReadyOperations.answered += 1
        record_operation(operation_name, "query", ok=True, seconds=time.perf_counter() - started)
        answer = await view.process_result(
            request,
            ExecutionResult(data=result.data, errors=None),  # type: ignore[union-attr]
        )
        response = view.create_response(response_data=answer, sub_response=sub_response)
        await response(scope, replay, send)


_UNSET: Any = object()


def _request_data(
    body: bytes,
) -> tuple[str, dict[str, Any] | None, str | None, dict[str, Any]] | None:
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(data, dict) or not data.keys() <= _KEYS:
        return None
    query = data.get("query")
    variables = data.get("variables")
    operation_name = data.get("operationName")
    if not isinstance(query, str):
        return None
    if variables is not None and not isinstance(variables, dict):
        return None
    if operation_name is not None and not isinstance(operation_name, str):
        return None
    return query, variables, operation_name, data


def _ready_query(document: DocumentNode, operation_name: str | None) -> ReadyQuery | None:
    operations = [
        definition
        for definition in document.definitions
        if isinstance(definition, OperationDefinitionNode)
    ]
    if operation_name is None:
        chosen = operations[0] if len(operations) == 1 else None
    else:
        chosen = next(
            (node for node in operations if node.name and node.name.value == operation_name),
            None,
        )
    if chosen is None or chosen.operation is not OperationType.QUERY:
        return None
    return ReadyQuery(document, chosen, operation_cost(document, operation_name))
