"""The public edge: GraphQL over HTTP and websocket (view.py), the user's data export, Plaid
webhooks, health, metrics, the home page, behind the middleware every request passes
(middleware.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from urllib.parse import parse_qs

from dramatiq.brokers.redis import RedisBroker
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route, WebSocketRoute

from services.gateway import user_data
from services.gateway.middleware import BodyLimit, RequestIds
from services.gateway.ready_operations import ReadyOperations
from services.gateway.schema import build_schema
from services.gateway.view import TallyGraphQL, caller_of
from services.gateway.web import WebApp, content_security_policy
from services.notifier import api as notifier_api
from services.sync import api as sync_api
from shared.clock import today
from shared.config import Settings
from shared.db import read_session
from shared.errors import RateLimited, Unauthenticated
from shared.logging import get_logger
from shared.messaging import broker

log = get_logger(__name__)
_STATIC = Path(__file__).resolve().parent / "static"
MAX_BODY_BYTES = 1_000_000


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
        caller = await caller_of(request.headers.get("authorization"))
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
    schema = build_schema(environment=settings.env)
    graphql_view = TallyGraphQL(
        schema,
        graphql_ide="graphiql" if settings.env == "development" else None,
        allow_queries_via_get=False,
        # Browsers apply no CORS to websockets: a page elsewhere opens the live socket only
        # from an origin listed, like its HTTP requests (same-origin pages always may).
        allowed_origins=settings.cors_origin_list,
    )
    graphql_view.hide_suggestions = settings.env == "production"
    graphql_view.ready_operations = ReadyOperations(schema.document_cache)
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
