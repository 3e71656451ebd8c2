"""The ledger's public interface: the only module other services may import.

CONTRACT (fixed by the lead; the ledger implements it, sync/notifier/gateway code against it).
Bodies marked `raise NotImplementedError` are to be implemented by the ledger.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from shared.db import UnitOfWork
from shared.money import Money

# The announcement the ledger sends after any change to a user's transactions (manual writes
# and bank ingest alike), after commit: queue and actor name the notifier listens on, with
# kwargs {"user_id": str, "transaction_ids": [str, ...], "months": ["YYYY-MM", ...]}.
TRANSACTIONS_CHANGED_QUEUE = "notifier"
TRANSACTIONS_CHANGED_ACTOR = "on_transactions_changed"


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
    date: date
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


@dataclass(frozen=True)
class IngestResult:
    added: int
    updated: int
    removed: int


@dataclass(frozen=True)
class TransactionView:
    id: uuid.UUID
    account_id: uuid.UUID
    date: date
    amount: Money
    description: str
    category_id: uuid.UUID | None
    category_name: str | None
    pending: bool


@dataclass(frozen=True)
class BudgetStatus:
    budget_id: uuid.UUID
    category_id: uuid.UUID
    category_name: str
    month: str  # "YYYY-MM"
    amount: Money
    spent: Money  # money out in that category and month, positive; refunds reduce it


async def provision_user(work: UnitOfWork, user_id: uuid.UUID) -> None:
    """Give a new user the default categories (called inside the sign-up transaction)."""
    raise NotImplementedError


async def upsert_bank_accounts(
    work: UnitOfWork, user_id: uuid.UUID, item_ref: uuid.UUID, accounts: Sequence[BankAccount]
) -> dict[str, uuid.UUID]:
    """Create or update the ledger accounts of a linked item, idempotently.

    Returns provider_account_id -> ledger account id.
    """
    raise NotImplementedError


async def ingest_bank_transactions(work: UnitOfWork, batch: BankTransactionBatch) -> IngestResult:
    """Apply one sync run's changes idempotently inside the caller's transaction.

    Upserts by (item_ref, provider transaction id), applies removals, turns a pending
    transaction into its posted one keeping the user's edits (category, notes), and announces
    the change to the notifier after commit.
    """
    raise NotImplementedError


async def transactions_by_ids(
    work: UnitOfWork, user_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[TransactionView]:
    """The user's transactions among `ids` (others' ids are silently absent)."""
    raise NotImplementedError


async def budget_statuses(
    work: UnitOfWork, user_id: uuid.UUID, months: Sequence[str]
) -> list[BudgetStatus]:
    """Every budget of the user in those months, with what was spent."""
    raise NotImplementedError


async def account_ids_for_item(
    work: UnitOfWork, user_id: uuid.UUID, item_ref: uuid.UUID
) -> list[uuid.UUID]:
    """The ledger accounts created for a linked item."""
    raise NotImplementedError
