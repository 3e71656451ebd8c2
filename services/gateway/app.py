"""The public edge: GraphQL over HTTP and websocket, the user's data export, Plaid webhooks,
health, metrics, the home page, and the middleware every request passes (request ids, body
size)."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import structlog
from dramatiq.brokers.redis import RedisBroker
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from services.gateway import user_data
from services.gateway.errors import INTERNAL_MESSAGE, classify, internal_extensions
from services.gateway.identity import service as identity
from services.gateway.metrics import HTTP_REQUESTS
from services.gateway.schema import build_schema
from services.gateway.web import WebApp, content_security_policy, graphiql_missing
from services.notifier import api as notifier_api
from services.sync import api as sync_api
from shared.clock import today
from shared.config import Settings
from shared.db import read_session
from shared.errors import BadUserInput, RateLimited, Unauthenticated
from shared.graphql import Context
from shared.logging import get_logger
from shared.messaging import broker
from shared.validation import check_unicode

log = get_logger(__name__)
_STATIC = Path(__file__).resolve().parent / "static"
MAX_BODY_BYTES = 1_000_000


class TallyGraphQL(GraphQL[Context, None]):
    web_app: WebApp | None = None
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

    def parse_json(self, data: str | bytes) -> Any:
        """The request's JSON, refused (BAD_USER_INPUT naming where) if any string in it, a key
        included, holds a lone UTF-16 surrogate: JSON can carry one, no UTF-8 encoder can."""
        decoded = super().parse_json(data)
        _check_unicode_everywhere(decoded, "request")
        return decoded

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
            await _authenticate(context, request.headers.get("authorization"))
        return context

    async def on_ws_connect(self, context: Context) -> dict[str, object] | None:
        params = context.connection_params or {}
        header = params.get("Authorization") or params.get("authorization")
        await _authenticate(context, header if isinstance(header, str) else None)
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


async def _caller(header: str | None) -> identity.Caller:
    """Who an `Authorization: Bearer <accessToken>` header names; UNAUTHENTICATED saying why."""
    if not header:
        raise Unauthenticated()
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated("The Authorization header must be 'Bearer <accessToken>'.")
    caller = await identity.authenticate_caller(token.strip())
    structlog.contextvars.bind_contextvars(user_id=str(caller.user_id))
    return caller


async def _authenticate(context: Context, header: str | None) -> None:
    if not header:
        return
    try:
        caller = await _caller(header)
    except Unauthenticated as error:
        context.auth_error = error.message
    else:
        context.user_id, context.session_id = caller.user_id, caller.session_id
        context.time_zone = caller.time_zone


class RequestIds:
    """Give every request an id (or keep the caller's), log it, and echo it back."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        supplied = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode()[:64]
        request_id = supplied if supplied.isprintable() and supplied else uuid.uuid4().hex
        scope["tally.request_id"] = request_id
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)

        async def send_with_id(message: Any) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
                route = scope.get("path", "")
                HTTP_REQUESTS.labels(_route_label(route), str(message["status"])).inc()
            await send(message)

        await self.app(scope, receive, send_with_id)


# Metrics are labelled by route, never by raw path (a client could mint unbounded labels).
_ROUTE_LABELS = (
    "/graphql",
    "/webhooks/plaid",
    "/export/my-data",
    "/plaid-sandbox",
    "/healthz",
    "/readyz",
    "/metrics",
)


def _route_label(path: str) -> str:
    return next((prefix for prefix in _ROUTE_LABELS if path.startswith(prefix)), "/other")


class BodyTooLarge(Exception):
    """A request's body passed the limit while it was being read."""


class BodyLimit:
    """Refuse bodies past a size on every route: by their Content-Length before anything reads
    them, and while they stream in (a chunked body has no length), stopping at the limit."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await self._refuse(scope, receive, send)
            return
        received = 0
        response_started = False

        async def receive_within_limit() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge
            return message

        async def send_tracking_start(message: Message) -> None:
            nonlocal response_started
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive_within_limit, send_tracking_start)
        except BodyTooLarge:
            if response_started:
                raise
            await self._refuse(scope, receive, send)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send) -> None:
        # Closing the connection stops the rest of the body: the server would otherwise read
        # and discard it to keep the connection alive.
        response = JSONResponse(
            {"error": "Request body too large."}, status_code=413, headers={"Connection": "close"}
        )
        await response(scope, receive, send)


_HOME_PAGE = (_STATIC / "index.html").read_text()


async def home(_: Request) -> Response:
    return HTMLResponse(_HOME_PAGE)


async def healthz(_: Request) -> Response:
    return JSONResponse({"status": "ok"})


ReadinessCheck = Callable[[], Awaitable[str | None]]
"""A check /readyz runs beside the database and the broker: None when ready, else why not."""


async def _database_ready() -> str | None:
    async with read_session() as session:
        await session.execute(text("SELECT 1"))
    return None


async def _broker_ready() -> str | None:
    await _ping_broker()
    return None


async def _outcome(check: ReadinessCheck) -> str:
    try:
        problem = await check()
    except Exception as error:  # noqa: BLE001 - any failure means not ready
        return f"error: {type(error).__name__}"
    return problem or "ok"


def readiness(checks: Mapping[str, ReadinessCheck]) -> Callable[[Request], Awaitable[Response]]:
    """/readyz: 200 when the database, the broker and every added check are ready, else 503
    naming each one's state."""
    every_check = {"database": _database_ready, "broker": _broker_ready, **checks}

    async def readyz(_: Request) -> Response:
        states = {name: await _outcome(check) for name, check in every_check.items()}
        ready = all(state == "ok" for state in states.values())
        return JSONResponse(
            {"status": "ready" if ready else "unavailable", **states},
            status_code=200 if ready else 503,
        )

    return readyz


async def _ping_broker() -> None:
    if isinstance(broker, RedisBroker):
        await asyncio.to_thread(broker.client.ping)


async def metrics(_: Request) -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


async def export_my_data(request: Request) -> Response:
    """GET /export/my-data: the caller's data in every service as one JSON document, sent while
    it is read (bounded memory, whatever its size). Authenticated like /graphql; errors answer
    as GraphQL's do (`errors[].extensions.code`), with their HTTP status."""
    try:
        caller = await _caller(request.headers.get("authorization"))
        document = await user_data.start_export(caller.user_id)
    except Unauthenticated as error:
        return _refusal(error, 401, {"WWW-Authenticate": "Bearer"})
    except RateLimited as error:
        retry_after = str(error.extensions["retryAfterSeconds"])
        return _refusal(error, 429, {"Retry-After": retry_after})
    filename = f"tally-export-{today(caller.time_zone).isoformat()}.json"
    return StreamingResponse(
        document,
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


def _refusal(
    error: Unauthenticated | RateLimited, status: int, headers: dict[str, str]
) -> Response:
    answer = {"errors": [{"message": error.message, "extensions": error.extensions}]}
    return JSONResponse(answer, status_code=status, headers=headers)


async def unsubscribe_email(request: Request) -> Response:
    """/unsubscribe/email?token=...: an alert email's one-click unsubscribe (RFC 8058), no
    login. GET shows a page that asks (link scanners fetch links); POST (the mail client's
    "List-Unsubscribe=One-Click", or that page's button) switches that kind's emails off."""
    token = request.query_params.get("token", "")
    if request.method == "POST" and not token:  # a form that sent it in its body
        body = parse_qs((await request.body()).decode("utf-8", "replace"))
        token = body.get("token", [""])[-1]
    status, page = await notifier_api.unsubscribe_page(
        token, confirm=request.method == "POST", action=str(request.url.path)
    )
    return HTMLResponse(
        page,
        status_code=status,
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )


async def plaid_webhook(request: Request) -> Response:
    body = await request.body()
    outcome = await sync_api.handle_webhook(body, request.headers.get("plaid-verification"))
    return JSONResponse({"status": outcome.status}, status_code=outcome.http_status)


def create_gateway(
    settings: Settings,
    *,
    mounts: Sequence[Mount] = (),
    lifespan: Callable[[Starlette], AbstractAsyncContextManager[None]] | None = None,
    readiness_checks: Mapping[str, ReadinessCheck] | None = None,
) -> Starlette:
    """The public edge: GraphQL over HTTP and websocket, Plaid webhooks, health, metrics, the
    web app (or, without a build, the home page), behind the request-id, CORS and body-size
    middleware. The composition root adds
    what runs beside it (`mounts`), what starts and stops with it (`lifespan`), and what
    /readyz checks beyond the database and the broker (`readiness_checks`, by name)."""
    graphql_view = TallyGraphQL(
        build_schema(environment=settings.env),
        graphql_ide="graphiql" if settings.env == "development" else None,
        allow_queries_via_get=False,
        # Browsers apply no CORS to websockets: a page elsewhere opens the live socket only
        # from an origin listed, like its HTTP requests (same-origin pages always may).
        allowed_origins=settings.cors_origin_list,
    )
    graphql_view.hide_suggestions = settings.env == "production"
    plaid_api = settings.plaid_host if settings.plaid_env != "local" else None
    policy = content_security_policy(settings.plaid_link_script, plaid_api)
    web_app = WebApp.find(settings.web_dir, policy)
    graphql_view.web_app = web_app
    routes: list[Route | Mount | WebSocketRoute] = [
        *([] if web_app else [Route("/", home)]),
        Route("/healthz", healthz),
        Route("/readyz", readiness(readiness_checks or {})),
        Route("/metrics", metrics),
        Route("/graphql", graphql_view, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql_view),
        Route("/webhooks/plaid", plaid_webhook, methods=["POST"]),
        Route("/unsubscribe/email", unsubscribe_email, methods=["GET", "POST"]),
        Route("/export/my-data", export_my_data, methods=["GET"]),
        *mounts,
        *(web_app.routes() if web_app else []),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    if settings.cors_origin_list:
        # Tokens travel in the Authorization header, never in cookies: no credentials mode.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
            expose_headers=["X-Request-ID", "Retry-After"],
            max_age=600,
        )
    app.add_middleware(RequestIds)
    return app
