"""Bank data as the sync service hands it to the ledger (already in the ledger's sign), and
the checks it must pass. Data that fails them raises BankDataError: retrying it cannot help.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from shared.currencies import CURRENCY_EXPONENTS
from shared.money import Money

MAX_PROVIDER_ID = 100


@dataclass(frozen=True)
class BankAccount:
    """An account as the bank reports it (sync maps Plaid's shape to this)."""

    provider_account_id: str
    name: str
    mask: str | None
    type: str  # a ledger account type: checking, savings, credit, loan, investment, cash
    currency: str
    current_balance: Decimal | None  # the bank's figure in the ledger's sign (debt negative)


@dataclass(frozen=True)
class BankTransaction:
    """A transaction as the bank reports it, already in the LEDGER's sign (money in > 0)."""

    provider_transaction_id: str
    provider_account_id: str
    date: dt.date
    amount: Decimal
    currency: str
    description: str
    merchant_name: str | None
    pending: bool
    pending_transaction_id: str | None
    category_hint: str | None  # e.g. Plaid's FOOD_AND_DRINK_GROCERIES / FOOD_AND_DRINK


@dataclass(frozen=True)
class BankTransactionBatch:
    """One sync run's changes for one linked item."""

    user_id: uuid.UUID
    item_ref: uuid.UUID  # the sync service's id of the linked item
    added: Sequence[BankTransaction] = field(default_factory=tuple)
    modified: Sequence[BankTransaction] = field(default_factory=tuple)
    removed: Sequence[str] = field(default_factory=tuple)  # provider transaction ids


class BankDataError(ValueError):
    """The bank data breaks the contract (unknown account, inexact amount...): retrying the
    same data cannot help."""


def bank_text(value: str | None, max_length: int) -> str:
    text = " ".join((value or "").split())
    return "".join(ch for ch in text if ord(ch) >= 32)[:max_length]


def check_provider_id(value: str, what: str) -> str:
    if not value or len(value) > MAX_PROVIDER_ID:
        raise BankDataError(f"{what} must be 1 to {MAX_PROVIDER_ID} characters: {value[:120]!r}")
    return value


def check_currency(code: str) -> str:
    if code not in CURRENCY_EXPONENTS:
        raise BankDataError(f"unsupported currency {code[:8]!r}")
    return code


def exact_money(amount: object, currency: str) -> Money:
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise BankDataError(f"amount must be a finite Decimal, got {amount!r}")
    try:
        return Money.from_decimal(amount, currency)
    except ValueError as error:
        raise BankDataError(str(error)) from None
