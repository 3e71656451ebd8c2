"""The emulator as an app: API keys, unknown paths, mounting under a prefix, restarts, and
serving it alone."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import plaid
import pytest
import uvicorn
from plaid import ApiException
from plaid.api.plaid_api import PlaidApi
from plaid.model.accounts_get_request import AccountsGetRequest
from plaid.model.item_get_request import ItemGetRequest
from plaid.model.item_public_token_exchange_request import (
    ItemPublicTokenExchangeRequest,
)
from plaid.model.products import Products
from plaid.model.transactions_sync_request import (
    TransactionsSyncRequest,
)
from starlette.applications import Starlette
from starlette.routing import Mount

from plaid_sandbox import app as emulator_app
from plaid_sandbox import create_emulator_app
from tests.plaid_sandbox.harness import (
    CLIENT_ID,
    SECRET,
    BackgroundServer,
    Emulator,
    expect_error,
    link_token_request,
    plaid_error,
    public_token_request,
)
from tests.support.plaid_contract import PlaidContract, assert_all_valid, make_recorder


def test_api_keys_are_checked(emulator: Emulator) -> None:
    request = link_token_request(products=[Products("transactions")])
    for api in (
        emulator.client(secret="wrong-secret"),
        emulator.client(client_id="someone-else"),
        emulator.client(client_id=None, secret=None),
    ):
        expect_error(400, "INVALID_INPUT", "INVALID_API_KEYS", api.link_token_create, request)

    keyless = emulator.client(client_id=None, secret=None)
    in_body = link_token_request(
        products=[Products("transactions")], client_id=CLIENT_ID, secret=SECRET
    )
    assert keyless.link_token_create(in_body).link_token.startswith("link-sandbox-")


def test_unknown_paths_answer_plaid_errors(emulator: Emulator) -> None:
    api_client = emulator.api.api_client
    with pytest.raises(ApiException) as caught:
        api_client.call_api(
            "/transactions/get_everything",
            "POST",
            header_params={"Content-Type": "application/json"},
            body={},
            auth_settings=["clientId", "secret"],
            response_type=None,
            _return_http_data_only=True,
        )
    assert caught.value.status == 404
    assert plaid_error(caught)["error_code"] == "NOT_FOUND"


def test_state_survives_restart(private_emulator: Emulator) -> None:
    emulator = private_emulator
    api = emulator.api
    item = emulator.link()
    first = api.transactions_sync(
        TransactionsSyncRequest(access_token=item.access_token, count=500)
    )
    assert not first.has_more
    accounts = api.accounts_get(AccountsGetRequest(access_token=item.access_token)).accounts

    emulator.restart()
    api = emulator.api
    after = api.transactions_sync(
        TransactionsSyncRequest(access_token=item.access_token, cursor=first.next_cursor)
    )
    assert (after.added, after.modified, after.removed, after.has_more) == ([], [], [], False)
    assert after.next_cursor == first.next_cursor
    again = api.accounts_get(AccountsGetRequest(access_token=item.access_token)).accounts
    assert [a.account_id for a in again] == [a.account_id for a in accounts]
    assert api.item_get(ItemGetRequest(access_token=item.access_token)).item.item_id == item.item_id


def test_mounted_under_a_prefix(tmp_path: Path, plaid_contract: PlaidContract) -> None:
    """The gateway mounts the emulator under /plaid-sandbox; plaid-python takes that host."""
    record, records = make_recorder()
    emulator_app = create_emulator_app(
        state_path=tmp_path / "plaid-state.sqlite3",
        client_id=CLIENT_ID,
        secret=SECRET,
        on_response=record,
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # A mounted app's own lifespan does not run: the parent closes the emulator.
        yield
        await emulator_app.state.emulator.aclose()

    gateway = Starlette(routes=[Mount("/plaid-sandbox", app=emulator_app)], lifespan=lifespan)
    server = BackgroundServer(gateway)
    configuration = plaid.Configuration(
        host=f"{server.url}/plaid-sandbox", api_key={"clientId": CLIENT_ID, "secret": SECRET}
    )
    try:
        with plaid.ApiClient(configuration) as api_client:
            api = PlaidApi(api_client)
            token = api.sandbox_public_token_create(public_token_request()).public_token
            exchanged = api.item_public_token_exchange(
                ItemPublicTokenExchangeRequest(public_token=token)
            )
            accounts = api.accounts_get(AccountsGetRequest(access_token=exchanged.access_token))
            assert len(accounts.accounts) == 4
    finally:
        server.stop()
    assert [path for path, _, _ in records] == [
        "/sandbox/public_token/create",
        "/item/public_token/exchange",
        "/accounts/get",
    ]
    assert_all_valid(records, plaid_contract)


def test_run_standalone_serves_the_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    emulator_app.run_standalone("127.0.0.1", 8765, tmp_path / "s.sqlite3", "id", "secret")
    [(app, options)] = calls
    assert options["host"] == "127.0.0.1" and options["port"] == 8765
    assert isinstance(app.state.emulator, emulator_app.PlaidEmulator)
    asyncio.run(app.state.emulator.aclose())
    assert (tmp_path / "s.sqlite3").exists()
