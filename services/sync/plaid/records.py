"""What Plaid answers, read exactly into small typed records.

For the two endpoints that carry amounts (/accounts/get, /transactions/sync) the client hands
the raw body here, read with `json.loads(parse_float=Decimal)`: every amount is the exact
decimal Plaid wrote, never a float (plaid-python's models would turn amounts into floats, and
building them is slow: measured against the emulator, a page of 160 transactions took 400-900
ms of CPU to validate into models against 10 ms to read here). What is read is checked field by
field; a malformed answer is a `PlaidError` (retried, like a 5xx).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from services.sync.plaid.errors import PlaidError


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


def read_body(raw: bytes) -> dict[str, Any]:
    """Plaid's JSON answer, every number with a fraction or exponent an exact Decimal."""
    try:
        body = json.loads(raw, parse_float=Decimal)
    except ValueError:
        raise _unexpected("the body is not JSON") from None
    if not isinstance(body, dict):
        raise _unexpected("the body is not an object")
    return body


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


def read_account(entry: dict[str, Any]) -> PlaidAccount:
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


def read_transaction(entry: dict[str, Any]) -> PlaidTransaction:
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


def read_sync_page(body: dict[str, Any]) -> SyncPage:
    """One answer of /transactions/sync."""
    return SyncPage(
        added=[read_transaction(entry) for entry in _list(body, "added")],
        modified=[read_transaction(entry) for entry in _list(body, "modified")],
        removed=[_text(entry, "transaction_id") for entry in _list(body, "removed")],
        accounts=[read_account(entry) for entry in _list(body, "accounts")],
        next_cursor=_optional_text(body, "next_cursor") or "",
        has_more=_flag(body, "has_more"),
    )


def read_accounts(body: dict[str, Any]) -> list[PlaidAccount]:
    """The accounts of an /accounts/get answer."""
    return [read_account(entry) for entry in _list(body, "accounts")]
