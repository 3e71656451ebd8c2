"""Plaid through the official plaid-python client, and nothing else: one function per endpoint.

plaid-python is synchronous (urllib3): every call here runs in a thread via
`asyncio.to_thread`, never on an event loop. One client per process, built on first use from
the settings (never at import time). Plaid's errors come out as `PlaidError`, carrying
Plaid's type, code and display message but never the request (which holds the access token).

Money: for the two endpoints that carry amounts (/accounts/get, /transactions/sync),
plaid-python sends the request as usual but hands back the raw body (`_preload_content=False`),
which `records` reads exactly (see there why).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

import plaid
import urllib3
from plaid.api.plaid_api import PlaidApi
from plaid.model.accounts_get_request import AccountsGetRequest
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
from plaid.model.transactions_sync_request import (
    TransactionsSyncRequest,
)
from plaid.model.webhook_verification_key_get_request import (
    WebhookVerificationKeyGetRequest,
)

from services.sync.plaid.errors import PlaidError
from services.sync.plaid.records import (
    ExchangedItem,
    ItemInfo,
    LinkToken,
    PlaidAccount,
    SyncPage,
    read_accounts,
    read_body,
    read_sync_page,
)
from shared.clock import as_utc
from shared.config import get_settings

# (connect, read) seconds: a thread stuck on a dead connection would hold a sync job forever.
REQUEST_TIMEOUT = (10.0, 60.0)
CLIENT_NAME = "Tally"
MAX_SYNC_PAGE_SIZE = 500

T = TypeVar("T")


@cache
def client() -> PlaidApi:
    """The process's Plaid client (built once, on first use)."""
    settings = get_settings()
    configuration = plaid.Configuration(
        host=settings.plaid_host,
        api_key={"clientId": settings.plaid_client_id, "secret": settings.secret("plaid_secret")},
    )
    # plaid-python logs whole response bodies at DEBUG, access tokens included.
    plaid_logger = logging.getLogger("plaid")
    if plaid_logger.getEffectiveLevel() < logging.INFO:
        plaid_logger.setLevel(logging.INFO)
    return PlaidApi(plaid.ApiClient(configuration))


def _blocking_call(fn: Callable[..., T], request: Any, **options: Any) -> T:
    try:
        return fn(request, _request_timeout=REQUEST_TIMEOUT, **options)
    except plaid.ApiException as error:
        raise PlaidError.from_api_exception(error) from None
    except urllib3.exceptions.HTTPError as error:
        raise PlaidError(None, "NETWORK_ERROR", "CONNECTION_FAILED", type(error).__name__) from None


async def _call(fn: Callable[..., T], request: Any) -> T:
    """A call answered with plaid-python's models (for answers without amounts)."""
    return await asyncio.to_thread(_blocking_call, fn, request)


async def _call_raw(fn: Callable[..., Any], request: Any) -> dict[str, Any]:
    """A call answered with its JSON body, numbers with a fraction read as exact Decimals."""

    def run() -> dict[str, Any]:
        response = _blocking_call(fn, request, _preload_content=False)
        try:
            return read_body(response.data)
        finally:
            response.release_conn()

    return await asyncio.to_thread(run)


async def create_link_token(
    *, client_user_id: str, webhook: str, access_token: str | None = None
) -> LinkToken:
    """A Link token for a new item, or for update mode (re-login) when `access_token` is given."""
    fields: dict[str, Any] = {
        "client_name": CLIENT_NAME,
        "language": "en",
        "country_codes": [CountryCode("US")],
        "user": LinkTokenCreateRequestUser(client_user_id=client_user_id),
        "webhook": webhook,
    }
    if access_token is None:
        fields["products"] = [Products("transactions")]
    else:
        fields["access_token"] = access_token
    response = await _call(client().link_token_create, LinkTokenCreateRequest(**fields))
    # plaid-python may parse Plaid's UTC timestamp without its zone.
    return LinkToken(link_token=response.link_token, expiration=as_utc(response.expiration))


async def exchange_public_token(public_token: str) -> ExchangedItem:
    request = ItemPublicTokenExchangeRequest(public_token=public_token)
    response = await _call(client().item_public_token_exchange, request)
    return ExchangedItem(access_token=response.access_token, item_id=response.item_id)


async def get_item(access_token: str) -> ItemInfo:
    response = await _call(client().item_get, ItemGetRequest(access_token=access_token))
    item = response.item
    return ItemInfo(
        institution_id=item.get("institution_id"), institution_name=item.get("institution_name")
    )


async def get_institution_name(institution_id: str) -> str:
    request = InstitutionsGetByIdRequest(
        institution_id=institution_id, country_codes=[CountryCode("US")]
    )
    response = await _call(client().institutions_get_by_id, request)
    return str(response.institution.name)


async def get_accounts(access_token: str) -> list[PlaidAccount]:
    """The item's accounts with their balances."""
    body = await _call_raw(client().accounts_get, AccountsGetRequest(access_token=access_token))
    return read_accounts(body)


async def remove_item(access_token: str) -> None:
    await _call(client().item_remove, ItemRemoveRequest(access_token=access_token))


async def sync_transactions_page(access_token: str, cursor: str | None, count: int) -> SyncPage:
    """One page of /transactions/sync from `cursor` (None: from the beginning)."""
    fields: dict[str, Any] = {"access_token": access_token, "count": count}
    if cursor:
        fields["cursor"] = cursor
    body = await _call_raw(client().transactions_sync, TransactionsSyncRequest(**fields))
    return read_sync_page(body)


async def get_webhook_verification_key(key_id: str) -> dict[str, Any]:
    """The JWK that signs webhooks under `key_id`, as a plain dict."""
    request = WebhookVerificationKeyGetRequest(key_id=key_id)
    response = await _call(client().webhook_verification_key_get, request)
    key: dict[str, Any] = response.key.to_dict()
    return key
