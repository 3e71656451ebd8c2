"""The look-alike's routes: its script, and the JSON endpoints its dialog calls (POST, no API
keys: the Link token is what authorises them, as with Plaid's own Link)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from plaid_sandbox import errors
from plaid_sandbox.handlers.context import Context
from plaid_sandbox.link_ui import flow
from plaid_sandbox.validation import Fields, read_body

SCRIPT = Path(__file__).with_name("link-initialize.js")
# Where Plaid's CDN serves Link's script, under the emulator's mount point.
SCRIPT_PATH = "/link/v2/stable/link-initialize.js"

Action = Callable[[Context, Fields], dict[str, Any]]


def link_ui_routes(ctx: Context, request_id: Callable[[], str]) -> list[Route]:
    """The script at SCRIPT_PATH, and /link/v2/session, /credentials and /complete."""

    async def script(_request: Request) -> Response:
        return FileResponse(
            SCRIPT,
            media_type="text/javascript",
            headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"},
        )

    def endpoint(action: Action) -> Callable[[Request], Any]:
        async def answer(request: Request) -> Response:
            request_ref = request_id()
            try:
                fields = Fields(read_body(await request.body()))
                status = 200
                payload = await anyio.to_thread.run_sync(action, ctx, fields)
                payload = {**payload, "request_id": request_ref}
            except errors.PlaidApiError as error:
                status, payload = error.status, error.body(request_ref)
            return Response(
                json.dumps(payload),
                status_code=status,
                media_type="application/json",
                headers={"Cache-Control": "no-store"},
            )

        return answer

    return [
        Route(SCRIPT_PATH, script, methods=["GET", "HEAD"]),
        Route("/link/v2/session", endpoint(flow.open_session), methods=["POST"]),
        Route("/link/v2/credentials", endpoint(flow.check_login), methods=["POST"]),
        Route("/link/v2/complete", endpoint(flow.complete), methods=["POST"]),
    ]
