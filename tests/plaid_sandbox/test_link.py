"""The emulator's Link endpoints (link tokens, public token exchange) and sandbox logins,
through plaid-python."""

from __future__ import annotations

from datetime import timedelta

from plaid.model.item_public_token_exchange_request import (
    ItemPublicTokenExchangeRequest,
)
from plaid.model.products import Products

from tests.plaid_sandbox.harness import (
    Emulator,
    FakeClock,
    expect_error,
    link_token_request,
    public_token_request,
)


def test_link_token_create(emulator: Emulator, clock: FakeClock) -> None:
    response = emulator.api.link_token_create(
        link_token_request(products=[Products("transactions")], webhook="http://127.0.0.1/h")
    )
    assert response.link_token.startswith("link-sandbox-")
    expected = clock.now() + timedelta(hours=4)
    assert abs((response.expiration - expected).total_seconds()) < 5
    assert response.expiration.tzinfo is not None

    expect_error(
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
        emulator.api.link_token_create,
        link_token_request(),
    )
    expect_error(
        400,
        "INVALID_INPUT",
        "INVALID_ACCESS_TOKEN",
        emulator.api.link_token_create,
        link_token_request(access_token="access-sandbox-unknown"),
    )


def test_sandbox_credentials_and_institutions(emulator: Emulator) -> None:
    api = emulator.api
    wrong_password = public_token_request(
        override_username="user_good", override_password="pass_bad"
    )
    expect_error(
        400, "ITEM_ERROR", "INVALID_CREDENTIALS", api.sandbox_public_token_create, wrong_password
    )
    unknown_user = public_token_request(override_username="user_bad", override_password="pass_good")
    expect_error(
        400, "ITEM_ERROR", "INVALID_CREDENTIALS", api.sandbox_public_token_create, unknown_user
    )
    unknown_bank = public_token_request(institution_id="ins_1")
    expect_error(
        400, "INVALID_INPUT", "INVALID_INSTITUTION", api.sandbox_public_token_create, unknown_bank
    )

    dynamic = public_token_request(
        override_username="user_transactions_dynamic", override_password="anything"
    )
    assert api.sandbox_public_token_create(dynamic).public_token.startswith("public-sandbox-")
    default = api.sandbox_public_token_create(public_token_request())
    assert default.public_token.startswith("public-sandbox-")


def test_public_token_is_single_use_and_expires(emulator: Emulator, clock: FakeClock) -> None:
    api = emulator.api
    token = api.sandbox_public_token_create(public_token_request()).public_token
    exchanged = api.item_public_token_exchange(ItemPublicTokenExchangeRequest(public_token=token))
    assert exchanged.access_token.startswith("access-sandbox-")
    assert exchanged.item_id
    again = ItemPublicTokenExchangeRequest(public_token=token)
    expect_error(
        400, "INVALID_INPUT", "INVALID_PUBLIC_TOKEN", api.item_public_token_exchange, again
    )

    late = api.sandbox_public_token_create(public_token_request()).public_token
    clock.advance(timedelta(minutes=31))
    expect_error(
        400,
        "INVALID_INPUT",
        "INVALID_PUBLIC_TOKEN",
        api.item_public_token_exchange,
        ItemPublicTokenExchangeRequest(public_token=late),
    )
    expect_error(
        400,
        "INVALID_INPUT",
        "INVALID_PUBLIC_TOKEN",
        api.item_public_token_exchange,
        ItemPublicTokenExchangeRequest(public_token="public-sandbox-nope"),
    )
