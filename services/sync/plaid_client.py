"""Plaid through the official plaid-python client, and nothing else.

plaid-python is synchronous (urllib3): every call here runs in a thread via
`asyncio.to_thread`, never on an event loop. One client per process, built on first use from
the settings (never at import time). Plaid's errors come out as `PlaidError`, carrying
Plaid's type, code and display message but never the request (which holds the access token).

Money: for the two endpoints that carry amounts (/accounts/get, /transactions/sync),
plaid-python sends the request as usual but hands back the raw body (`_preload_content=False`),
which is read here with `json.loads(parse_float=Decimal)`: every amount is the exact decimal
Plaid wrote, never a float. Its models would turn amounts into floats, and building them is
slow: measured against the emulator, a page of 160 transactions took 400-900 ms of CPU to
validate into models against 10 ms to read here. What is read is checked field by field into
the small typed records below; a malformed answer is a `PlaidError` (retried, like a 5xx).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
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

from shared.config import get_settings

# (connect, read) seconds: a thread stuck on a dead connection would hold a sync job forever.
REQUEST_TIMEOUT = (10.0, 60.0)
CLIENT_NAME = "Tally"
MAX_SYNC_PAGE_SIZE = 500

T = TypeVar("T")


class PlaidError(Exception):
    """Plaid answered with an error object, or could not be reached (status None)."""

    def __init__(
        self,
        status: int | None,
        error_type: str,
        error_code: str,
        message: str,
        display_message: str | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(f"Plaid {error_type}/{error_code} (HTTP {status}): {message}")
        self.status = status
        self.error_type = error_type
        self.error_code = error_code
        self.error_message = message
        self.display_message = display_message
        self.request_id = request_id

    @property
    def retryable(self) -> bool:
        """Plaid's own faults, rate limits and dropped connections pass with time."""
        return (
            self.status is None
            or self.status == 429
            or self.status >= 500
            or self.error_type == "RATE_LIMIT_EXCEEDED"
        )

    @classmethod
    def from_api_exception(cls, error: plaid.ApiException) -> PlaidError:
        status = int(error.status) if error.status else None
        try:
            body = json.loads(error.body or b"")
        except (TypeError, ValueError):
            body = None
        if not isinstance(body, dict):
            return cls(status, "API_ERROR", "UNPARSEABLE_ERROR", f"HTTP {status} {error.reason}")
        return cls(
            status,
            str(body.get("error_type") or "API_ERROR"),
            str(body.get("error_code") or "UNKNOWN"),
            str(body.get("error_message") or ""),
            body.get("display_message") if isinstance(body.get("display_message"), str) else None,
            body.get("request_id") if isinstance(body.get("request_id"), str) else None,
        )


@dataclass(frozen=True)
class LinkToken:
    link_token: str
    expiration: dt.datetime


@dataclass(frozen=True)
class ExchangedItem:
    access_token: str
    item_id: str


@dataclass(frozen=True)
class ItemInfo:
    institution_id: str | None
    institution_name: str | None


@dataclass(frozen=True)
class PlaidAccount:
    account_id: str
    name: str
    official_name: str | None
    mask: str | None
    type: str | None  # depository, credit, loan, investment, other
    subtype: str | None
    current_balance: Decimal | None  # as Plaid reports it: for credit and loan, the debt
    iso_currency_code: str | None
    unofficial_currency_code: str | None


@dataclass(frozen=True)
class PlaidTransaction:
    transaction_id: str
    account_id: str
    amount: Decimal  # Plaid's sign: positive is money out of the account
    iso_currency_code: str | None
    unofficial_currency_code: str | None
    date: dt.date
    name: str
    merchant_name: str | None
    pending: bool
    pending_transaction_id: str | None
    category_primary: str | None
    category_detailed: str | None


@dataclass(frozen=True)
class SyncPage:
    """One answer of /transactions/sync."""

    added: list[PlaidTransaction]
    modified: list[PlaidTransaction]
    removed: list[str]  # transaction ids
    accounts: list[PlaidAccount]
    next_cursor: str
    has_more: bool


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


def read_body(raw: bytes) -> dict[str, Any]:
    """Plaid's JSON answer, every number with a fraction or exponent an exact Decimal."""
    try:
        body = json.loads(raw, parse_float=Decimal)
    except ValueError:
        raise _unexpected("the body is not JSON") from None
    if not isinstance(body, dict):
        raise _unexpected("the body is not an object")
    return body


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
    expiration: dt.datetime = response.expiration
    if expiration.tzinfo is None:
        expiration = expiration.replace(tzinfo=dt.UTC)
    return LinkToken(link_token=response.link_token, expiration=expiration)


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
    return [_account(entry) for entry in _list(body, "accounts")]


async def remove_item(access_token: str) -> None:
    await _call(client().item_remove, ItemRemoveRequest(access_token=access_token))


async def sync_transactions_page(access_token: str, cursor: str | None, count: int) -> SyncPage:
    """One page of /transactions/sync from `cursor` (None: from the beginning)."""
    fields: dict[str, Any] = {"access_token": access_token, "count": count}
    if cursor:
        fields["cursor"] = cursor
    body = await _call_raw(client().transactions_sync, TransactionsSyncRequest(**fields))
    return SyncPage(
        added=[_transaction(entry) for entry in _list(body, "added")],
        modified=[_transaction(entry) for entry in _list(body, "modified")],
        removed=[_text(entry, "transaction_id") for entry in _list(body, "removed")],
        accounts=[_account(entry) for entry in _list(body, "accounts")],
        next_cursor=_optional_text(body, "next_cursor") or "",
        has_more=_flag(body, "has_more"),
    )


async def get_webhook_verification_key(key_id: str) -> dict[str, Any]:
    """The JWK that signs webhooks under `key_id`, as a plain dict."""
    request = WebhookVerificationKeyGetRequest(key_id=key_id)
    response = await _call(client().webhook_verification_key_get, request)
    key: dict[str, Any] = response.key.to_dict()
    return key


# --- Reading Plaid's JSON ---------------------------------------------------------------------


def _unexpected(detail: str) -> PlaidError:
    return PlaidError(502, "API_ERROR", "UNEXPECTED_RESPONSE", f"unexpected answer: {detail}")


def _list(body: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = body.get(key)
    if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
        raise _unexpected(f"{key} is not a list of objects")
    return value


def _text(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value:
        raise _unexpected(f"{key} is not a non-empty string")
    return value


def _optional_text(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise _unexpected(f"{key} is not a string")
    return value


def _flag(body: dict[str, Any], key: str) -> bool:
    value = body.get(key)
    if not isinstance(value, bool):
        raise _unexpected(f"{key} is not a boolean")
    return value


def _amount(body: dict[str, Any], key: str) -> Decimal | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise _unexpected(f"{key} is not a number")
    amount = Decimal(value)
    if not amount.is_finite():
        raise _unexpected(f"{key} is not a finite number")
    return amount


def _date(body: dict[str, Any], key: str) -> dt.date:
    try:
        return dt.date.fromisoformat(_text(body, key))
    except ValueError:
        raise _unexpected(f"{key} is not a date") from None


def _account(entry: dict[str, Any]) -> PlaidAccount:
    balances = entry.get("balances")
    if not isinstance(balances, dict):
        raise _unexpected("balances is not an object")
    return PlaidAccount(
        account_id=_text(entry, "account_id"),
        name=_optional_text(entry, "name") or "",
        official_name=_optional_text(entry, "official_name"),
        mask=_optional_text(entry, "mask"),
        type=_optional_text(entry, "type"),
        subtype=_optional_text(entry, "subtype"),
        current_balance=_amount(balances, "current"),
        iso_currency_code=_optional_text(balances, "iso_currency_code"),
        unofficial_currency_code=_optional_text(balances, "unofficial_currency_code"),
    )


def _transaction(entry: dict[str, Any]) -> PlaidTransaction:
    amount = _amount(entry, "amount")
    if amount is None:
        raise _unexpected("amount is missing")
    category = entry.get("personal_finance_category")
    if category is not None and not isinstance(category, dict):
        raise _unexpected("personal_finance_category is not an object")
    return PlaidTransaction(
        transaction_id=_text(entry, "transaction_id"),
        account_id=_text(entry, "account_id"),
        amount=amount,
        iso_currency_code=_optional_text(entry, "iso_currency_code"),
        unofficial_currency_code=_optional_text(entry, "unofficial_currency_code"),
        date=_date(entry, "date"),
        name=_optional_text(entry, "name") or "",
        merchant_name=_optional_text(entry, "merchant_name"),
        pending=_flag(entry, "pending"),
        pending_transaction_id=_optional_text(entry, "pending_transaction_id"),
        category_primary=_optional_text(category, "primary") if category else None,
        category_detailed=_optional_text(category, "detailed") if category else None,
    )
