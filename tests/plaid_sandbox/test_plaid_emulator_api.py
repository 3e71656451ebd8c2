"""The emulator's Link, Item, account and institution endpoints, through plaid-python."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import plaid
import pytest
from plaid import ApiException
from plaid.api.plaid_api import PlaidApi
from plaid.model.accounts_balance_get_request import (
    AccountsBalanceGetRequest,
)
from plaid.model.accounts_get_request import AccountsGetRequest
from plaid.model.accounts_get_request_options import (
    AccountsGetRequestOptions,
)
from plaid.model.country_code import CountryCode
from plaid.model.institutions_get_by_id_request import (
    InstitutionsGetByIdRequest,
)
from plaid.model.item_get_request import ItemGetRequest
from plaid.model.item_public_token_exchange_request import (
    ItemPublicTokenExchangeRequest,
)
from plaid.model.item_remove_request import ItemRemoveRequest
from plaid.model.link_token_create_request import (
    LinkTokenCreateRequest,
)
from plaid.model.link_token_create_request_user import (
    LinkTokenCreateRequestUser,
)
from plaid.model.products import Products
from plaid.model.sandbox_public_token_create_request import (
    SandboxPublicTokenCreateRequest,
)
from plaid.model.sandbox_public_token_create_request_options import (
    SandboxPublicTokenCreateRequestOptions,
)
from plaid.model.transactions_sync_request import (
    TransactionsSyncRequest,
)
from starlette.applications import Starlette
from starlette.routing import Mount

from plaid_sandbox import create_emulator_app
from tests.plaid_sandbox.harness import CLIENT_ID, SECRET, BackgroundServer, Emulator, FakeClock
from tests.support.plaid_contract import PlaidContract, assert_all_valid, make_recorder


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


def test_link_token_create(emulator: Emulator, clock: FakeClock) -> None:
    response = emulator.api.link_token_create(
        link_token_request(products=[Products("transactions")], webhook="https://example.test/h")
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


def test_accounts_item_and_institution(emulator: Emulator) -> None:
    api = emulator.api
    item = emulator.link()
    accounts = api.accounts_get(AccountsGetRequest(access_token=item.access_token)).accounts
    by_mask = {account.mask: account for account in accounts}
    assert sorted(by_mask) == ["0000", "1111", "3333", "4444"]
    checking = by_mask["0000"]
    assert checking.name == "Plaid Checking"
    assert str(checking.type) == "depository" and str(checking.subtype) == "checking"
    assert checking.balances.available == 100 and checking.balances.current == 110
    assert checking.balances.iso_currency_code == "USD"
    assert by_mask["1111"].name == "Plaid Saving"
    card = by_mask["3333"]
    assert card.name == "Plaid Credit Card" and str(card.type) == "credit"
    assert card.balances.available is None and card.balances.limit == 2000
    assert by_mask["4444"].name == "Plaid Money Market"

    again = api.accounts_balance_get(AccountsBalanceGetRequest(access_token=item.access_token))
    assert [a.account_id for a in again.accounts] == [a.account_id for a in accounts]
    assert again.item.item_id == item.item_id
    only_card = api.accounts_get(
        AccountsGetRequest(
            access_token=item.access_token,
            options=AccountsGetRequestOptions(account_ids=[card.account_id]),
        )
    )
    assert [a.mask for a in only_card.accounts] == ["3333"]

    got = api.item_get(ItemGetRequest(access_token=item.access_token))
    assert got.item.item_id == item.item_id
    assert got.item.institution_id == "ins_109508"
    assert got.item.error is None
    assert [str(p) for p in got.item.billed_products] == ["transactions"]
    assert got.status.transactions.last_successful_update is not None

    institution = api.institutions_get_by_id(
        InstitutionsGetByIdRequest(institution_id="ins_109511", country_codes=[CountryCode("US")])
    ).institution
    assert institution.name == "Tartan Bank"
    assert institution.institution_id == "ins_109511"
    expect_error(
        400,
        "INVALID_INPUT",
        "INVALID_INSTITUTION",
        api.institutions_get_by_id,
        InstitutionsGetByIdRequest(institution_id="ins_404", country_codes=[CountryCode("US")]),
    )
    expect_error(
        400,
        "INVALID_INPUT",
        "INVALID_ACCESS_TOKEN",
        api.accounts_get,
        AccountsGetRequest(access_token="access-sandbox-00000000-0000-0000-0000-000000000000"),
    )


def test_account_ids_are_stable_per_item(emulator: Emulator) -> None:
    first, second = emulator.link(), emulator.link()

    def ids(access_token: str) -> list[str]:
        accounts = emulator.api.accounts_get(AccountsGetRequest(access_token=access_token))
        return [account.account_id for account in accounts.accounts]

    assert ids(first.access_token) == ids(first.access_token)
    assert not set(ids(first.access_token)) & set(ids(second.access_token))


def test_item_remove(emulator: Emulator) -> None:
    api = emulator.api
    item = emulator.link()
    kept = emulator.link()
    api.item_remove(ItemRemoveRequest(access_token=item.access_token))
    for call, request in (
        (api.accounts_get, AccountsGetRequest(access_token=item.access_token)),
        (api.item_get, ItemGetRequest(access_token=item.access_token)),
        (api.transactions_sync, TransactionsSyncRequest(access_token=item.access_token)),
        (api.item_remove, ItemRemoveRequest(access_token=item.access_token)),
    ):
        expect_error(400, "INVALID_INPUT", "INVALID_ACCESS_TOKEN", call, request)
    assert api.item_get(ItemGetRequest(access_token=kept.access_token)).item.item_id == kept.item_id


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
