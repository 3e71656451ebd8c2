"""The emulator POSTs webhooks only to the hosts it was created with (no SSRF through its
public keys): a webhook URL naming any other host is refused when it is given."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from plaid.model.item_get_request import ItemGetRequest
from plaid.model.item_webhook_update_request import ItemWebhookUpdateRequest
from plaid.model.products import Products

from plaid_sandbox import create_emulator_app
from tests.plaid_sandbox.harness import (
    CLIENT_ID,
    SECRET,
    Emulator,
    expect_error,
    link_token_request,
    public_token_request,
)

# Cloud metadata, a host of the attacker's, and userinfo that only looks like loopback.
FORBIDDEN_URLS = [
    "http://169.254.169.254/latest/meta-data/",
    "https://attacker.example/hook",
    "http://127.0.0.1@attacker.example/hook",
    "http://127.1/hook",
]


@pytest.mark.parametrize("url", FORBIDDEN_URLS)
def test_a_webhook_url_off_the_allowed_hosts_is_refused_wherever_it_is_given(
    emulator: Emulator, url: str
) -> None:
    api = emulator.api
    expect_error(
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
        api.sandbox_public_token_create,
        public_token_request(webhook=url),
    )
    item = emulator.link(webhook="http://127.0.0.1:9/plaid")
    expect_error(
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
        api.item_webhook_update,
        ItemWebhookUpdateRequest(access_token=item.access_token, webhook=url),
    )
    expect_error(
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
        api.link_token_create,
        link_token_request(access_token=item.access_token, webhook=url),
    )
    expect_error(
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
        api.link_token_create,
        link_token_request(products=[Products("transactions")], webhook=url),
    )
    # Refused means not stored: fire_webhook still reaches only the loopback URL.
    got = api.item_get(ItemGetRequest(access_token=item.access_token))
    assert got.item.webhook == "http://127.0.0.1:9/plaid"


def test_loopback_urls_are_allowed_by_default(emulator: Emulator) -> None:
    for url in ("http://127.0.0.1:9/a", "http://localhost:9/b", "http://[::1]:9/c"):
        item = emulator.link(webhook=url)
        got = emulator.api.item_get(ItemGetRequest(access_token=item.access_token))
        assert got.item.webhook == url


def test_the_allowed_hosts_are_the_ones_given_at_creation(tmp_path: Path) -> None:
    app = create_emulator_app(
        state_path=tmp_path / "state.sqlite3",
        client_id=CLIENT_ID,
        secret=SECRET,
        webhook_hosts=["tally.example.com"],
    )

    async def create_item(client: httpx.AsyncClient, webhook: str) -> httpx.Response:
        return await client.post(
            "/sandbox/public_token/create",
            json={
                "client_id": CLIENT_ID,
                "secret": SECRET,
                "institution_id": "ins_109508",
                "initial_products": ["transactions"],
                "options": {"webhook": webhook},
            },
        )

    async def answers() -> tuple[httpx.Response, httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://emulator") as client:
            try:
                accepted = await create_item(client, "https://tally.example.com/webhooks/plaid")
                refused = await create_item(client, "http://127.0.0.1:8000/webhooks/plaid")
            finally:
                await app.state.emulator.aclose()
        return accepted, refused

    accepted, refused = asyncio.run(answers())
    assert accepted.status_code == 200, accepted.text
    assert refused.status_code == 400
    body = refused.json()
    assert (body["error_type"], body["error_code"]) == ("INVALID_REQUEST", "INVALID_FIELD")
    assert "options.webhook" in body["error_message"]
    assert "tally.example.com" in body["error_message"]


def test_a_stored_url_whose_host_is_no_longer_allowed_gets_no_webhook(tmp_path: Path) -> None:
    """The state file outlives the allow-list: a URL stored under a wider one is not called."""
    state = tmp_path / "state.sqlite3"
    posted: list[str] = []

    def record(request: httpx.Request) -> httpx.Response:
        posted.append(str(request.url))
        return httpx.Response(200)

    async def call(hosts: list[str], path: str, body: dict[str, object]) -> dict[str, object]:
        app = create_emulator_app(
            state_path=state,
            client_id=CLIENT_ID,
            secret=SECRET,
            webhook_hosts=hosts,
            webhook_client=httpx.AsyncClient(transport=httpx.MockTransport(record)),
            initial_update_delay=0,
        )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://emulator") as client:
            try:
                answer = await client.post(
                    path, json={"client_id": CLIENT_ID, "secret": SECRET, **body}
                )
            finally:
                await app.state.emulator.aclose()  # waits for the webhooks it scheduled
        assert answer.status_code == 200, answer.text
        result: dict[str, object] = answer.json()
        return result

    async def scenario() -> None:
        wide = ["old.example"]
        created = await call(
            wide,
            "/sandbox/public_token/create",
            {
                "institution_id": "ins_109508",
                "initial_products": ["transactions"],
                "options": {"webhook": "http://old.example/hook"},
            },
        )
        exchanged = await call(
            wide, "/item/public_token/exchange", {"public_token": created["public_token"]}
        )
        assert posted == ["http://old.example/hook"]  # the initial SYNC_UPDATES_AVAILABLE
        await call(
            ["tally.example.com"],
            "/sandbox/item/fire_webhook",
            {"access_token": exchanged["access_token"], "webhook_code": "NEW_ACCOUNTS_AVAILABLE"},
        )

    asyncio.run(scenario())
    assert posted == ["http://old.example/hook"]
