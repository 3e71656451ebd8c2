"""A local emulator of Plaid's API (version 2020-09-14), as a Starlette app.

The sync service talks to it through plaid-python, unchanged: point
`plaid.Configuration(host=...)` at the emulator (the gateway mounts it under `/plaid-sandbox`;
`tally plaid-sandbox` serves it alone). Every endpoint is a POST of JSON answering JSON shaped
by Plaid's OpenAPI spec; API keys come from the `PLAID-CLIENT-ID`/`PLAID-SECRET` headers or the
`client_id`/`secret` body fields.

Served: /link/token/create, /sandbox/public_token/create, /item/public_token/exchange,
/accounts/get, /accounts/balance/get, /item/get, /item/remove, /item/webhook/update,
/institutions/get_by_id, /transactions/sync, /transactions/refresh,
/sandbox/transactions/create, /sandbox/item/fire_webhook, /sandbox/item/reset_login and
/webhook_verification_key/get; and one endpoint of the emulator's own, not Plaid's,
/emulator/transactions/generate (see `handlers.emulator`; `client` calls it). Anything else
answers 404 INVALID_REQUEST/NOT_FOUND.

Behaviour worth knowing:

- Items. `/sandbox/public_token/create` creates an Item at one of the five sandbox
  institutions (user_good/pass_good, or user_transactions_dynamic with any password) with the
  four standard sandbox accounts and a 90-day history derived from its item_id. Public tokens
  are single-use and expire after 30 minutes. `/item/remove` forgets the Item; its access token
  then answers INVALID_ACCESS_TOKEN, as Plaid's does.
- Transactions. `/transactions/sync` reads the Item's append-only change log (see
  `changelog`). `/transactions/refresh` settles every pending transaction (the pending id comes
  back in `removed`, the posted one in `added` with `pending_transaction_id` set) and adds one
  new pending purchase; `/sandbox/item/fire_webhook` SYNC_UPDATES_AVAILABLE settles pending ones
  too before it fires. `/sandbox/transactions/create` adds posted transactions to the checking
  account of any Item (Plaid limits it to user_transactions_dynamic Items; the emulator does
  not), categorised from their description, at most 10 a call as Plaid's.
  `/emulator/transactions/generate` adds up to 100,000 generated purchases a call (over up to
  the last 730 days), to build big Items; the log is stored a row per change, so paging a
  100,000-transaction Item reads only each page's rows.
- Link. A look-alike of Plaid Link (`link_ui`) is served at /link/v2/stable/link-initialize.js
  (Plaid's CDN path): `Plaid.create({token, onSuccess, onExit, onEvent})` opens an in-page
  dialog for a token of /link/token/create (which the emulator remembers): institution search,
  sign-in with the sandbox credentials (a wrong password shows Plaid's INVALID_CREDENTIALS),
  account selection (the new Item shares only the accounts chosen, with their transactions),
  then onSuccess with a public token for a new Item made with the token's products and webhook.
- Login errors. `/sandbox/item/reset_login` puts the Item in ITEM_LOGIN_REQUIRED (and sends
  the ITEM/ERROR webhook): /accounts/get, /accounts/balance/get, /transactions/sync and
  /transactions/refresh then answer that error, while /item/get reports it in `item.error`.
  As with Plaid, the user repairs it in Link's update mode: a link token made with the Item's
  access_token opens the look-alike on the Item's sign-in, whose success clears the error;
  `/sandbox/item/fire_webhook` LOGIN_REPAIRED also clears it (the Item recovering outside the
  app) and sends that webhook.
- Webhooks go to the Item's URL (`options.webhook` of /sandbox/public_token/create, or the
  `webhook` of an update-mode link token, or /item/webhook/update), whose host must be one of
  `webhook_hosts` (loopback unless told more: the emulator's keys are public, so it must not
  POST wherever it is asked to), signed as Plaid signs them
  (see `webhooks`), from background tasks after the response: SYNC_UPDATES_AVAILABLE shortly
  after the public token exchange and after each change to the transactions, ITEM/ERROR after
  reset_login, and whatever /sandbox/item/fire_webhook asks for. Delivery is best-effort.
- State (Items, tokens, change logs, the webhook signing key) lives in one SQLite file at
  `state_path` (see `state`), so it survives a restart; cursors handed out before a restart
  stay valid, and receivers that cached the verification key keep using it.

Not emulated: Link's OAuth, MFA and consent panes, other products, rate limits, the 30-day
ITEM_LOGIN_REQUIRED of sandbox Items, `options.transactions` of /sandbox/public_token/create
and `days_requested`.
When mounted inside another app, Starlette does not run this app's lifespan: call
`app.state.emulator.aclose()` on shutdown to finish webhooks in flight, close their HTTP
client and the state file.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import anyio.to_thread
import httpx
import structlog
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from plaid_sandbox import errors
from plaid_sandbox.handlers import HANDLERS, Context
from plaid_sandbox.link_ui import link_ui_routes
from plaid_sandbox.state import StateStore
from plaid_sandbox.validation import Fields, check_api_keys, read_body
from plaid_sandbox.webhooks import (
    LOOPBACK_HOSTS,
    Webhook,
    WebhookDispatcher,
    WebhookHosts,
    WebhookSigner,
    new_signing_key,
)

log: structlog.stdlib.BoundLogger = structlog.get_logger(__name__)

ResponseCallback = Callable[[str, int, bytes], None]

_REQUEST_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _request_id() -> str:
    return "".join(secrets.choice(_REQUEST_ID_ALPHABET) for _ in range(15))


class PlaidEmulator:
    """The emulator behind the Starlette app: one per app, state shared through the file."""

    def __init__(
        self,
        *,
        state_path: Path,
        client_id: str,
        secret: str,
        on_response: ResponseCallback | None,
        webhook_client: httpx.AsyncClient | None,
        clock: Callable[[], datetime],
        initial_update_delay: float,
        webhook_hosts: Iterable[str],
    ) -> None:
        self._client_id = client_id
        self._secret = secret
        self._on_response = on_response
        store = StateStore(state_path, lambda: new_signing_key(clock()))
        signer = WebhookSigner(store.signing_key)
        hosts = WebhookHosts(webhook_hosts)
        self._context = Context(
            store=store,
            signer=signer,
            clock=clock,
            initial_update_delay=initial_update_delay,
            webhook_hosts=hosts,
        )
        self._webhooks = WebhookDispatcher(signer, clock, webhook_client, hosts)
        self._store = store

    @property
    def context(self) -> Context:
        return self._context

    async def handle(self, request: Request) -> Response:
        endpoint = "/" + str(request.path_params.get("path", "")).strip("/")
        request_id = _request_id()
        webhooks: list[Webhook] = []
        try:
            handler = HANDLERS.get(endpoint)
            if handler is None or request.method != "POST":
                raise errors.not_found(f"{request.method} {endpoint}")
            body = read_body(await request.body())
            check_api_keys(request.headers, body, client_id=self._client_id, secret=self._secret)
            outcome = await anyio.to_thread.run_sync(handler, self._context, Fields(body))
            status, payload = 200, {**outcome.payload, "request_id": request_id}
            webhooks = outcome.webhooks
        except errors.PlaidApiError as exc:
            status, payload = exc.status, exc.body(request_id)
        except Exception:
            log.exception("plaid_emulator.internal_error", endpoint=endpoint)
            internal = errors.internal_server_error()
            status, payload = internal.status, internal.body(request_id)
        content = json.dumps(payload).encode()
        if self._on_response is not None:
            self._on_response(endpoint, status, content)
        if webhooks:
            self._webhooks.schedule(webhooks)
        return Response(content, status_code=status, media_type="application/json")

    async def aclose(self) -> None:
        """Finish webhooks in flight, close their HTTP client and the state file."""
        await self._webhooks.aclose()
        self._store.close()

    @asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await self.aclose()


def create_emulator_app(
    *,
    state_path: Path,
    client_id: str,
    secret: str,
    on_response: ResponseCallback | None = None,
    webhook_client: httpx.AsyncClient | None = None,
    clock: Callable[[], datetime] | None = None,
    initial_update_delay: float = 0.5,
    webhook_hosts: Iterable[str] = LOOPBACK_HOSTS,
) -> Starlette:
    """The emulator as an ASGI app; routes are relative (`/link/token/create`, ...).

    `on_response(endpoint, status, body)` sees every response (tests validate them against the
    spec). `webhook_client` posts the webhooks (default: a client of the emulator's own).
    `clock` returns the current time as an aware datetime (tests move it forward).
    `initial_update_delay` is how long after a public token exchange the first
    SYNC_UPDATES_AVAILABLE webhook goes out, in seconds.
    `webhook_hosts` are the only hosts a webhook URL may name (default: loopback); a URL with
    another host is refused with INVALID_FIELD when it is given.
    """
    emulator = PlaidEmulator(
        state_path=state_path,
        client_id=client_id,
        secret=secret,
        on_response=on_response,
        webhook_client=webhook_client,
        clock=clock or _utc_now,
        initial_update_delay=initial_update_delay,
        webhook_hosts=webhook_hosts,
    )
    app = Starlette(
        routes=[
            *link_ui_routes(emulator.context, _request_id),
            Route("/{path:path}", emulator.handle, methods=_ALL_METHODS),
        ],
        lifespan=emulator.lifespan,
    )
    app.state.emulator = emulator
    return app


def run_standalone(
    host: str,
    port: int,
    state_path: Path,
    client_id: str,
    secret: str,
    webhook_hosts: Iterable[str] = LOOPBACK_HOSTS,
) -> None:
    """Serve the emulator alone (the `tally plaid-sandbox` command); blocks until stopped."""
    app = create_emulator_app(
        state_path=state_path, client_id=client_id, secret=secret, webhook_hosts=webhook_hosts
    )
    uvicorn.run(app, host=host, port=port, log_level="info")
