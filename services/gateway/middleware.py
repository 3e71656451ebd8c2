"""The middleware every request passes: request ids (logged and echoed), and the body-size
limit."""

from __future__ import annotations

import uuid
from typing import Any

import structlog
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.gateway.metrics import HTTP_REQUESTS


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
