"""Test harness for the Plaid emulator: real servers in threads, plaid-python clients, and the
request builders and error checks the endpoint tests share.

The emulator runs under uvicorn on a real port in a background thread and is driven only with
the official plaid-python client, which proves that client parses every answer. A second small
server receives the webhooks.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import plaid
import pytest
import uvicorn
from plaid import ApiException
from plaid.api.plaid_api import PlaidApi
from plaid.model.country_code import CountryCode
from plaid.model.item_public_token_exchange_request import (
    ItemPublicTokenExchangeRequest,
)
from plaid.model.link_token_create_request import LinkTokenCreateRequest
from plaid.model.link_token_create_request_user import LinkTokenCreateRequestUser
from plaid.model.products import Products
from plaid.model.sandbox_public_token_create_request import (
    SandboxPublicTokenCreateRequest,
)
from plaid.model.sandbox_public_token_create_request_options import (
    SandboxPublicTokenCreateRequestOptions,
)
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from plaid_sandbox import create_emulator_app
from tests.support.plaid_contract import make_recorder

CLIENT_ID = "local-client"
SECRET = "local-secret"


class BackgroundServer:
    """An ASGI app served by uvicorn on 127.0.0.1, on a free port, in a daemon thread."""

    def __init__(self, app: Any) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.port = int(self._socket.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app, log_level="warning", lifespan="on", http="h11", ws="none", loop="asyncio"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.005)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=15)
        self._socket.close()
        if self._thread.is_alive():
            raise RuntimeError("uvicorn did not stop")


@dataclass(frozen=True)
class ReceivedWebhook:
    name: str
    headers: dict[str, str]
    body: bytes


class WebhookReceiver:
    """Collects the webhooks POSTed to /hooks/<name>; each test uses names of its own."""

    def __init__(self) -> None:
        self._received: list[ReceivedWebhook] = []
        self._condition = threading.Condition()
        app = Starlette(routes=[Route("/hooks/{name}", self._receive, methods=["POST"])])
        self._server = BackgroundServer(app)

    async def _receive(self, request: Request) -> Response:
        hook = ReceivedWebhook(
            name=request.path_params["name"],
            headers={key.lower(): value for key, value in request.headers.items()},
            body=await request.body(),
        )
        with self._condition:
            self._received.append(hook)
            self._condition.notify_all()
        return Response(status_code=200)

    def new_url(self) -> tuple[str, str]:
        name = uuid.uuid4().hex
        return name, f"{self._server.url}/hooks/{name}"

    def wait_for(self, name: str, count: int, timeout: float = 5.0) -> list[ReceivedWebhook]:
        """The first `count` webhooks sent to `name`, waiting for them as long as `timeout`."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while True:
                hooks = [hook for hook in self._received if hook.name == name]
                remaining = deadline - time.monotonic()
                if len(hooks) >= count or remaining <= 0:
                    break
                self._condition.wait(remaining)
        assert len(hooks) >= count, f"expected {count} webhook(s) on {name}, got {len(hooks)}"
        return hooks[:count]

    def stop(self) -> None:
        self._server.stop()


class FakeClock:
    """Real time plus an offset that a test can move forward."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta


@dataclass
class LinkedItem:
    access_token: str
    item_id: str


class Emulator:
    """An emulator app on a state file, started on a port, plus plaid-python clients for it."""

    def __init__(self, state_path: Path, clock: FakeClock) -> None:
        self.state_path = state_path
        self.clock = clock
        self.record, self.records = make_recorder()
        self._server: BackgroundServer | None = None
        self._clients: list[Any] = []
        self.api: Any = None
        self.base_url = ""

    def start(self) -> None:
        app = create_emulator_app(
            state_path=self.state_path,
            client_id=CLIENT_ID,
            secret=SECRET,
            on_response=self.record,
            clock=self.clock.now,
            initial_update_delay=0.05,
        )
        self._server = BackgroundServer(app)
        self.base_url = self._server.url
        self.api = self.client()

    def stop(self) -> None:
        for client in self._clients:
            client.close()
        self._clients.clear()
        if self._server is not None:
            self._server.stop()
            self._server = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def client(self, client_id: str | None = CLIENT_ID, secret: str | None = SECRET) -> Any:
        """A PlaidApi for the emulator; None keys are not sent at all."""
        api_key = {}
        if client_id is not None:
            api_key["clientId"] = client_id
        if secret is not None:
            api_key["secret"] = secret
        configuration = plaid.Configuration(host=self.base_url, api_key=api_key)
        api_client = plaid.ApiClient(configuration)
        self._clients.append(api_client)
        return PlaidApi(api_client)

    def link(
        self,
        *,
        webhook: str | None = None,
        username: str | None = None,
        password: str | None = None,
        institution_id: str = "ins_109508",
    ) -> LinkedItem:
        options: dict[str, Any] = {}
        if webhook is not None:
            options["webhook"] = webhook
        if username is not None:
            options["override_username"] = username
        if password is not None:
            options["override_password"] = password
        created = self.api.sandbox_public_token_create(
            SandboxPublicTokenCreateRequest(
                institution_id=institution_id,
                initial_products=[Products("transactions")],
                options=SandboxPublicTokenCreateRequestOptions(**options),
            )
        )
        exchanged = self.api.item_public_token_exchange(
            ItemPublicTokenExchangeRequest(public_token=created.public_token)
        )
        return LinkedItem(exchanged.access_token, exchanged.item_id)


def plaid_error(exc_info: pytest.ExceptionInfo[ApiException]) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(exc_info.value.body)
    return body


def expect_error(status: int, error_type: str, error_code: str, call: Any, *args: Any) -> None:
    with pytest.raises(ApiException) as caught:
        call(*args)
    assert caught.value.status == status
    body = plaid_error(caught)
    assert (body["error_type"], body["error_code"]) == (error_type, error_code), body
    assert body["request_id"]


def link_token_request(**extra: Any) -> LinkTokenCreateRequest:
    return LinkTokenCreateRequest(
        client_name="Tally",
        language="en",
        country_codes=[CountryCode("US")],
        user=LinkTokenCreateRequestUser(client_user_id="user-1"),
        **extra,
    )


def public_token_request(**options: Any) -> SandboxPublicTokenCreateRequest:
    return SandboxPublicTokenCreateRequest(
        institution_id=options.pop("institution_id", "ins_109508"),
        initial_products=[Products("transactions")],
        options=SandboxPublicTokenCreateRequestOptions(**options),
    )
