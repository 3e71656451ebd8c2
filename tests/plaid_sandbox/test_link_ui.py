"""The emulator's Link look-alike, at Plaid's end: a Link token opens it for a new Item or for an
Item's update mode; the sandbox sign-in is checked as Plaid checks it; the public token it hands
over is for a new Item sharing only the accounts chosen (with the Link token's webhook), or, in
update mode, the Item's login repaired. The browser's side is walked in tests/web."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx
from plaid.model.accounts_get_request import AccountsGetRequest
from plaid.model.item_public_token_exchange_request import ItemPublicTokenExchangeRequest
from plaid.model.products import Products
from plaid.model.sandbox_item_reset_login_request import SandboxItemResetLoginRequest
from plaid.model.transactions_sync_request import TransactionsSyncRequest

from tests.plaid_sandbox.harness import (
    Emulator,
    FakeClock,
    WebhookReceiver,
    expect_error,
    link_token_request,
)
from tests.support.plaid_link import complete_link, link_ui


def _new_item_token(emulator: Emulator, webhook: str | None = None) -> str:
    extra = {"webhook": webhook} if webhook else {}
    made = emulator.api.link_token_create(
        link_token_request(products=[Products("transactions")], **extra)
    )
    return str(made.link_token)


def test_link_hands_over_a_new_item_sharing_only_the_accounts_chosen(
    emulator: Emulator, webhook_receiver: WebhookReceiver
) -> None:
    hooks, url = webhook_receiver.new_url()
    token = _new_item_token(emulator, webhook=url)

    session = link_ui(emulator.base_url, "session", link_token=token).json()
    assert session["mode"] == "create"
    assert session["client_name"] == "Tally"
    names = [institution["name"] for institution in session["institutions"]]
    assert "First Platypus Bank" in names and len(names) == 5

    wrong = link_ui(
        emulator.base_url,
        "credentials",
        link_token=token,
        institution_id="ins_109508",
        username="user_good",
        password="pass_bad",
    )
    assert wrong.status_code == 400
    refused = wrong.json()
    assert (refused["error_type"], refused["error_code"]) == ("ITEM_ERROR", "INVALID_CREDENTIALS")
    assert (
        refused["display_message"] == "The provided credentials were not correct. Please try again."
    )

    signed_in = link_ui(
        emulator.base_url,
        "credentials",
        link_token=token,
        institution_id="ins_109508",
        username="user_good",
        password="pass_good",
    ).json()
    assert [account["mask"] for account in signed_in["accounts"]] == [
        "0000",
        "1111",
        "3333",
        "4444",
    ]

    done = complete_link(emulator.base_url, token, account_masks=("0000", "3333"))
    metadata = done["metadata"]
    assert metadata["institution"] == {
        "name": "First Platypus Bank",
        "institution_id": "ins_109508",
    }
    assert [account["name"] for account in metadata["accounts"]] == [
        "Plaid Checking",
        "Plaid Credit Card",
    ]
    exchanged = emulator.api.item_public_token_exchange(
        ItemPublicTokenExchangeRequest(public_token=done["public_token"])
    )
    accounts = emulator.api.accounts_get(AccountsGetRequest(access_token=exchanged.access_token))
    shared = {account.account_id for account in accounts.accounts}
    assert shared == {account["id"] for account in metadata["accounts"]}
    page = emulator.api.transactions_sync(
        TransactionsSyncRequest(access_token=exchanged.access_token, count=500)
    )
    assert page.added and {txn.account_id for txn in page.added} <= shared
    # The Item sends its webhooks where the Link token said.
    [hook] = webhook_receiver.wait_for(hooks, 1)
    assert json.loads(hook.body)["webhook_code"] == "SYNC_UPDATES_AVAILABLE"


def test_update_mode_repairs_the_login_only_when_the_same_user_signs_in_again(
    emulator: Emulator,
) -> None:
    api = emulator.api
    item = emulator.link()
    api.sandbox_item_reset_login(SandboxItemResetLoginRequest(access_token=item.access_token))
    token = str(
        api.link_token_create(link_token_request(access_token=item.access_token)).link_token
    )
    # Making the token repairs nothing: the user has not signed in yet.
    accounts = AccountsGetRequest(access_token=item.access_token)
    expect_error(400, "ITEM_ERROR", "ITEM_LOGIN_REQUIRED", api.accounts_get, accounts)

    session = link_ui(emulator.base_url, "session", link_token=token).json()
    assert session["mode"] == "update"
    assert [i["name"] for i in session["institutions"]] == ["First Platypus Bank"]
    for username, password in (("user_good", "pass_bad"), ("user_transactions_dynamic", "x")):
        refused = link_ui(
            emulator.base_url, "complete", link_token=token, username=username, password=password
        )
        assert refused.json()["error_code"] == "INVALID_CREDENTIALS"
    expect_error(400, "ITEM_ERROR", "ITEM_LOGIN_REQUIRED", api.accounts_get, accounts)

    done = complete_link(emulator.base_url, token)

    assert len(done["metadata"]["accounts"]) == 4
    assert len(api.accounts_get(accounts).accounts) == 4
    # The access token stays the Item's: exchanging the public token hands back the same.
    exchanged = api.item_public_token_exchange(
        ItemPublicTokenExchangeRequest(public_token=done["public_token"])
    )
    assert exchanged.access_token == item.access_token


def test_a_link_token_unknown_or_expired_opens_nothing(
    emulator: Emulator, clock: FakeClock
) -> None:
    unknown = link_ui(emulator.base_url, "session", link_token="link-sandbox-unknown")
    assert unknown.status_code == 400
    assert unknown.json()["error_code"] == "INVALID_LINK_TOKEN"
    token = _new_item_token(emulator)

    no_accounts = link_ui(
        emulator.base_url,
        "complete",
        link_token=token,
        institution_id="ins_109508",
        username="user_good",
        password="pass_good",
        account_masks=[],
    )
    assert no_accounts.json()["error_code"] == "INVALID_FIELD"
    no_bank = link_ui(
        emulator.base_url,
        "credentials",
        link_token=token,
        institution_id="ins_1",
        username="user_good",
        password="pass_good",
    )
    assert no_bank.json()["error_code"] == "INVALID_INSTITUTION"

    clock.advance(timedelta(hours=4, minutes=1))
    expired = link_ui(emulator.base_url, "session", link_token=token)
    assert expired.json()["error_code"] == "INVALID_LINK_TOKEN"


def test_the_script_is_served_where_plaids_cdn_serves_it(emulator: Emulator) -> None:
    emulator.api.link_token_create(link_token_request(products=[Products("transactions")]))
    response = httpx.get(f"{emulator.base_url}/link/v2/stable/link-initialize.js", timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert "window.Plaid = { create: create" in response.text
