"""The GraphQL view: Strawberry's ASGI view with Tally's edge rules (every failure answers as
GraphQL, requests checked for lone surrogates, the caller authenticated into the context,
known-valid queries on the short path of ready_operations.py)."""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

import orjson
import structlog
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from services.gateway.errors import INTERNAL_MESSAGE, classify, internal_extensions
from services.gateway.identity import service as identity
from services.gateway.middleware import BodyTooLarge
from services.gateway.ready_operations import ReadyOperations
from services.gateway.web import WebApp, graphiql_missing
from shared.errors import BadUserInput, Unauthenticated
from shared.graphql import Context
from shared.logging import get_logger
from shared.validation import check_unicode

log = get_logger(__name__)


class TallyGraphQL(GraphQL[Context, None]):
    web_app: WebApp | None = None
    # Known-valid queries' short path (ready_operations.py); None: every request takes
    # Strawberry's.
    ready_operations: ReadyOperations | None = None
    # Production hides "did you mean" suggestions (see errors.ProductionErrorCodes).
    hide_suggestions: bool = False

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        """The last door before the answer: an error that reached it without a code (one the
        schema's ErrorCodes never saw, e.g. raised while validating) is classified too, so no
        raw exception message leaves the server."""
        if result.errors:
            request_id = request.scope.get("tally.request_id", "-")
            result.errors = [
                classify(error, request_id, hide_suggestions=self.hide_suggestions)
                for error in result.errors
            ]
        return await super().process_result(request, result)

    async def render_graphql_ide(self, request: Request) -> Response:
        """GraphiQL as built with the web app, from this server's own files (Strawberry's page
        loads it from a CDN, and stays on "Loading..." offline)."""
        return self.web_app.graphiql_response() if self.web_app else graphiql_missing()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Every failure over HTTP answers as GraphQL: what escapes the schema (building the
        context authenticates against the database) is logged once and masked as INTERNAL."""
        if scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
            return
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        response_started = False

        async def send_tracking_start(message: Message) -> None:
            nonlocal response_started
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            if self.ready_operations is not None:
                await self.ready_operations.handle(
                    self, scope, receive, send_tracking_start, super().__call__
                )
            else:
                await super().__call__(scope, receive, send_tracking_start)
        except ClientDisconnect:
            return  # the client went away mid-request: nobody to answer, nothing to log
        except BodyTooLarge:
            raise
        except BadUserInput as error:
            if response_started:
                raise
            # Refused while reading the request, before any operation ran (see parse_json).
            answer = {"errors": [{"message": error.message, "extensions": error.extensions}]}
            await JSONResponse(answer)(scope, receive, send)
        except Exception as error:
            if response_started:
                raise
            request_id = scope.get("tally.request_id", "-")
            log.error("unexpected_error", request_id=request_id, exc_info=error)
            # 200, as for an INTERNAL error met while executing: a GraphQL client reads
            # `errors` from any application/json answer (GraphQL over HTTP), and one outage
            # then looks the same wherever it strikes.
            answer = {
                "errors": [
                    {"message": INTERNAL_MESSAGE, "extensions": internal_extensions(request_id)}
                ]
            }
            await JSONResponse(answer)(scope, receive, send)

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A failure outside any operation (authenticating at `connection_init` meets the
        database) is logged once and closes the connection with 1011, an internal error a
        graphql-ws client retries with backoff, instead of dropping it without a close frame.
        Failures inside an operation are answered by the schema (see errors.ErrorCodes)."""
        closed = False

        async def send_tracking_close(message: Message) -> None:
            nonlocal closed
            closed = closed or message["type"] == "websocket.close"
            await send(message)

        try:
            await super().__call__(scope, receive, send_tracking_close)
        except Exception as error:
            if closed:
                raise
            log.error(
                "unexpected_error", request_id=scope.get("tally.request_id", "-"), exc_info=error
            )
            with contextlib.suppress(Exception):  # the client may be gone already
                await send({"type": "websocket.close", "code": 1011, "reason": INTERNAL_MESSAGE})

    def encode_json(self, data: object) -> str:
        """The answer's JSON by orjson (several times faster than json.dumps on a page of 100);
        json.dumps for what orjson refuses (an integer past 64 bits, a lone surrogate). Text,
        not bytes: Strawberry sends bytes over a websocket as binary frames, which
        graphql-ws clients do not read."""
        try:
            return orjson.dumps(data).decode()
        except TypeError:  # orjson.JSONEncodeError is a TypeError
            return super().encode_json(data)  # type: ignore[return-value]

    def parse_json(self, data: str | bytes) -> Any:
        """The request's JSON, refused (BAD_USER_INPUT naming where) if any string in it, a key
        included, holds a lone UTF-16 surrogate: JSON can carry one, no UTF-8 encoder can."""
        decoded = super().parse_json(data)
        self.check_request(decoded)
        return decoded

    @staticmethod
    def check_request(decoded: Any) -> None:
        _check_unicode_everywhere(decoded, "request")

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None = None
    ) -> Context:
        context = Context(
            request=request,
            request_id=request.scope.get("tally.request_id", uuid.uuid4().hex),
            client_address=request.client.host if request.client else "unknown",
            http_response=response if isinstance(response, Response) else None,
        )
        if isinstance(request, Request):
            await authenticate_into(context, request.headers.get("authorization"))
        return context

    async def on_ws_connect(self, context: Context) -> dict[str, object] | None:
        params = context.connection_params or {}
        header = params.get("Authorization") or params.get("authorization")
        await authenticate_into(context, header if isinstance(header, str) else None)
        if context.user_id is None:
            raise ConnectionRejectionError({"message": context.auth_error or "Unauthenticated"})
        return None


def _check_unicode_everywhere(value: Any, where: str, *, values: bool = True) -> None:
    """Every key, and (outside variables) every string: a variable's value is checked where it
    is used, so that the error names the input field rather than the variable."""
    if isinstance(value, str):
        if values:
            check_unicode(value, where)
    elif isinstance(value, dict):
        for key, item in value.items():
            name = check_unicode(key, where) if isinstance(key, str) else str(key)
            inner = name if where == "request" else f"{where}.{name}"
            _check_unicode_everywhere(item, inner, values=values and inner != "variables")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_unicode_everywhere(item, f"{where}[{index}]", values=values)


async def caller_of(header: str | None) -> identity.Caller:
    """Who an `Authorization: Bearer <accessToken>` header names; UNAUTHENTICATED saying why."""
    if not header:
        raise Unauthenticated()
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated("The Authorization header must be 'Bearer <accessToken>'.")
    caller = await identity.authenticate_caller(token.strip())
    structlog.contextvars.bind_contextvars(user_id=str(caller.user_id))
    return caller


async def authenticate_into(context: Context, header: str | None) -> None:
    if not header:
        return
    try:
        caller = await caller_of(header)
    except Unauthenticated as error:
        context.auth_error = error.message
    else:
        context.user_id, context.session_id = caller.user_id, caller.session_id
        context.time_zone, context.email = caller.time_zone, caller.email
