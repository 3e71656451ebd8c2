"""The emulator's Item, account and institution endpoints, through plaid-python."""

from __future__ import annotations

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
from plaid.model.item_remove_request import ItemRemoveRequest
from plaid.model.transactions_sync_request import (
    TransactionsSyncRequest,
)

from tests.plaid_sandbox.harness import (
    Emulator,
    expect_error,
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
