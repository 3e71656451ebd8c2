"""The ledger's public interface: the only module other services may import.

CONTRACT (fixed by the lead; the ledger implements it, sync/notifier/gateway code against it).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from services.ledger import ingest, loaders, service
from services.ledger.accounts import service as account_service
from services.ledger.categories import service as category_service

# The announcement the ledger sends after any change to a user's transactions (manual writes
# and bank ingest alike), after commit: queue and actor name the notifier listens on, with
# kwargs {"user_id": str, "transaction_ids": [str, ...], "months": ["YYYY-MM", ...]}.
from services.ledger.events import TRANSACTIONS_CHANGED_ACTOR, TRANSACTIONS_CHANGED_QUEUE
from services.ledger.graphql.types import Account
from services.ledger.transactions import service as transaction_service
from shared.db import UnitOfWork
from shared.graphql import Info
from shared.money import Money

# Bank data that breaks this contract (unknown account, inexact amount, unknown currency...).
BankDataError = ingest.BankDataError

__all__ = [
    "TRANSACTIONS_CHANGED_ACTOR",
    "TRANSACTIONS_CHANGED_QUEUE",
    "Account",
    "BankAccount",
    "BankDataError",
    "BankTransaction",
    "BankTransactionBatch",
    "BudgetStatus",
    "IngestResult",
    "TransactionView",
    "account_ids_for_item",
    "budget_statuses",
    "ingest_bank_transactions",
    "load_item_accounts",
    "provision_user",
    "transactions_by_ids",
    "upsert_bank_accounts",
]


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
    await category_service.provision_user(work, user_id)


async def upsert_bank_accounts(
    work: UnitOfWork, user_id: uuid.UUID, item_ref: uuid.UUID, accounts: Sequence[BankAccount]
) -> dict[str, uuid.UUID]:
    """Create or update the ledger accounts of a linked item, idempotently.

    Returns provider_account_id -> ledger account id for every account of the item. Raises
    BankDataError for an unknown account type or currency.
    """
    return await ingest.upsert_bank_accounts(work, user_id, item_ref, accounts)


async def ingest_bank_transactions(work: UnitOfWork, batch: BankTransactionBatch) -> IngestResult:
    """Apply one sync run's changes idempotently inside the caller's transaction.

    Upserts by (item_ref, provider transaction id), applies removals, turns a pending
    transaction into its posted one keeping the user's edits (category, notes), and announces
    the change to the notifier after commit. Applying the same batch again changes nothing.
    Raises BankDataError (before writing anything) if the batch names an account the item
    does not have, or carries an amount that is not exact in the account's currency.
    """
    counts = await ingest.ingest_bank_transactions(work, batch)
    return IngestResult(added=counts.added, updated=counts.updated, removed=counts.removed)


async def transactions_by_ids(
    work: UnitOfWork, user_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[TransactionView]:
    """The user's transactions among `ids` (others' ids are silently absent)."""
    rows = await transaction_service.transactions_by_ids(work.session, user_id, ids)
    category_ids = sorted({row.category_id for row in rows if row.category_id is not None})
    categories = await category_service.categories_by_ids(work.session, user_id, category_ids)
    names = {category.id: category.name for category in categories}
    return [
        TransactionView(
            id=row.id,
            account_id=row.account_id,
            date=row.date,
            amount=Money(row.amount_minor, row.currency),
            description=row.description,
            category_id=row.category_id,
            category_name=names.get(row.category_id) if row.category_id else None,
            pending=row.pending,
        )
        for row in rows
    ]


async def budget_statuses(
    work: UnitOfWork, user_id: uuid.UUID, months: Sequence[str]
) -> list[BudgetStatus]:
    """Every budget of the user in those months, with what was spent.

    Raises BadUserInput("months") for a month that is not "YYYY-MM".
    """
    reports = await service.budget_reports(work.session, user_id, months, field="months")
    return [
        BudgetStatus(
            budget_id=report.budget_id,
            category_id=report.category_id,
            category_name=report.category_name,
            month=report.month,
            amount=report.amount,
            spent=report.spent,
        )
        for report in reports
    ]


async def account_ids_for_item(
    work: UnitOfWork, user_id: uuid.UUID, item_ref: uuid.UUID
) -> list[uuid.UUID]:
    """The ledger accounts created for a linked item."""
    rows = await account_service.accounts_of_items(work.session, user_id, [item_ref])
    return [row.id for row in rows]


async def load_item_accounts(info: Info, item_ref: uuid.UUID) -> list[Account]:
    """The requesting user's ledger accounts of a linked item, as GraphQL `Account`s.

    For resolvers such as `LinkedInstitution.accounts`: goes through a per-request DataLoader
    keyed by item_ref, so listing many institutions costs one query.
    """
    rows = await loaders.item_accounts(info).load(item_ref)
    return [Account.from_row(row) for row in rows]


async def categories_by_ids(
    work: UnitOfWork, user_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """The user's categories among `ids`, id -> name (others' ids are silently absent)."""
    found = await category_service.categories_by_ids(work.session, user_id, ids)
    return {category.id: category.name for category in found}
