"""The ledger's door for other services: plain Python, no GraphQL (GraphQL types are served
by services.ledger.graphql). Other services import only this package and that one.

Sync hands over bank data (upsert_bank_accounts, ingest_bank_transactions); the gateway
provisions new users; the notifier reads transactions, budgets and categories, and listens
for the "transactions changed" announcement named here. Recurring series (bills due, a bill
larger than usual) are read with upcoming_bills and recurring_series_of_transactions; the
scheduler may re-detect them with detect_recurring.

    __init__.py   users, bank data, whole-history jobs and plain reads; re-exports the rest
    alerts.py     the reads behind the notifier's alert rules (budgets, balances, goals...)
    bills.py      recurring series and the bills they expect, for the bill alerts
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from services.ledger.api.alerts import (
    AccountBalanceView,
    AlertTransactionView,
    BudgetStatus,
    CategoryMonthSpendingView,
    GoalProgressView,
    MoneyFlowView,
    account_balances,
    alert_transactions,
    budget_statuses,
    category_spending_by_month,
    goal_progress,
    money_flow,
    payees_first_seen,
    tags_by_ids,
)
from services.ledger.api.bills import (
    RecurringSeriesView,
    UpcomingBillView,
    recurring_series_of_transactions,
    upcoming_bills,
)
from services.ledger.bank_ingest import accounts as bank_accounts
from services.ledger.bank_ingest import transactions as bank_transactions
from services.ledger.bank_ingest import unlinking

# Bank data that breaks the contract (unknown account, inexact amount, unknown currency...)
# raises BankDataError.
from services.ledger.bank_ingest.bank_data import (
    BankAccount,
    BankDataError,
    BankTransaction,
    BankTransactionBatch,
)
from services.ledger.bank_ingest.transactions import IngestResult
from services.ledger.bank_ingest.unlinking import BankHistoryDeleted
from services.ledger.categories import service as category_service
from services.ledger.currencies import service as currency_service

# The event the ledger announces after any change to a user's transactions (manual writes and
# bank ingest alike), after commit, with the payload
# {"user_id": str, "transaction_ids": [str, ...], "months": ["YYYY-MM", ...]}.
# Subscribe to it with a shared.events.Subscription in your own api.py.
from services.ledger.events import TRANSACTIONS_CHANGED

# The queue the ledger's own jobs (file imports) run on: `tally worker ledger` drains it.
from services.ledger.imports.jobs import QUEUE
from services.ledger.recurring import service as recurring_service
from services.ledger.recurring.detection import Direction as RecurringDirection
from services.ledger.recurring.schedule import Interval as RecurringInterval
from services.ledger.recurring.series import Status as RecurringStatus
from services.ledger.reports import totals as report_totals
from services.ledger.reports import totals_upkeep
from services.ledger.transactions import service as transaction_service
from services.ledger.user_data import service as user_data
from shared.db import UnitOfWork, read_session, unit_of_work
from shared.export import Section
from shared.money import Money

__all__ = [
    "QUEUE",
    "TRANSACTIONS_CHANGED",
    "AccountBalanceView",
    "AlertTransactionView",
    "BankAccount",
    "BankDataError",
    "BankHistoryDeleted",
    "BankTransaction",
    "BankTransactionBatch",
    "BudgetStatus",
    "CategoryMonthSpendingView",
    "GoalProgressView",
    "IngestResult",
    "MoneyFlowView",
    "RecurringDirection",
    "RecurringInterval",
    "RecurringSeriesView",
    "RecurringStatus",
    "TransactionView",
    "UpcomingBillView",
    "account_balances",
    "account_ids_of_items",
    "alert_transactions",
    "base_currency",
    "budget_statuses",
    "categories_by_ids",
    "category_spending_by_month",
    "check_bank_history_deletable",
    "delete_bank_accounts",
    "delete_user_data",
    "detect_recurring",
    "export_user_data",
    "goal_progress",
    "ingest_bank_transactions",
    "keep_bank_accounts",
    "money_flow",
    "payees_first_seen",
    "provision_user",
    "recurring_series_of_transactions",
    "tags_by_ids",
    "transactions_by_ids",
    "upcoming_bills",
    "upsert_bank_accounts",
]


@dataclass(frozen=True)
class TransactionView:
    """A transaction as other services see it."""

    id: uuid.UUID
    account_id: uuid.UUID
    date: date
    amount: Money
    description: str
    category_id: uuid.UUID | None
    category_name: str | None
    pending: bool
    # Half of a transfer between the user's own accounts: money moved, not spent or earned.
    is_transfer: bool = False


async def provision_user(
    work: UnitOfWork,
    user_id: uuid.UUID,
    base_currency: str | None = None,
    *,
    field: str = "baseCurrency",
) -> None:
    """Give a new user the default categories and their base currency (USD unless told),
    inside the sign-up transaction. Idempotent: a user already provisioned keeps their base
    currency. Raises BadUserInput(field) for a code that is not ISO 4217.
    """
    await currency_service.provision_user(work, user_id, base_currency, field)
    await category_service.provision_user(work, user_id)
    if not await report_totals.is_built(work.session, user_id):
        await totals_upkeep.rebuild(work.session, user_id)


async def upsert_bank_accounts(
    work: UnitOfWork, user_id: uuid.UUID, item_ref: uuid.UUID, accounts: Sequence[BankAccount]
) -> dict[str, uuid.UUID]:
    """Create or update the ledger accounts of a linked item, idempotently.

    Returns provider_account_id -> ledger account id for every account of the item. Raises
    BankDataError for an unknown account type or currency.
    """
    return await bank_accounts.upsert_bank_accounts(work, user_id, item_ref, accounts)


async def ingest_bank_transactions(work: UnitOfWork, batch: BankTransactionBatch) -> IngestResult:
    """Apply one sync run's changes idempotently inside the caller's transaction.

    Upserts by (item_ref, provider transaction id), applies removals, turns a pending
    transaction into its posted one keeping the user's edits (category, notes, payee, tags,
    split parts, reviewed flag, transfer link), gives new rows a payee from the merchant name
    or description, and announces the change to the notifier after commit. Applying the same
    batch again changes nothing.
    Raises BankDataError (before writing anything) if the batch names an account the item
    does not have, or carries an amount that is not exact in the account's currency.
    """
    return await bank_transactions.ingest_bank_transactions(work, batch)


async def check_bank_history_deletable(
    user_id: uuid.UUID, item_ref: uuid.UUID, field: str = "input.history"
) -> None:
    """Raise BadUserInput(field) if `delete_bank_accounts` would refuse to delete the item's
    accounts (a goal is funded by one of them). Ask before removing the item at the bank."""
    async with read_session() as session:
        await unlinking.check_history_deletable(session, user_id, item_ref, field)


async def keep_bank_accounts(
    work: UnitOfWork, user_id: uuid.UUID, item_ref: uuid.UUID
) -> list[uuid.UUID]:
    """A linked item being unlinked: its accounts become manual accounts inside the caller's
    transaction, keeping their transactions (editable from now on) and the balance the bank
    last reported. Returns their ids; idempotent (an item with no accounts left has none)."""
    return await unlinking.keep_bank_accounts(work, user_id, item_ref)


async def delete_bank_accounts(
    work: UnitOfWork, user_id: uuid.UUID, item_ref: uuid.UUID, field: str = "input.history"
) -> BankHistoryDeleted:
    """A linked item being unlinked: delete its accounts with every transaction in them inside
    the caller's transaction, announcing the change (budgets, alerts and report totals follow);
    a transfer to another of the user's accounts keeps its other half, unlinked. Raises
    BadUserInput(field) while a goal is funded by one of the accounts."""
    return await unlinking.delete_bank_accounts(work, user_id, item_ref, field)


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
            is_transfer=row.transfer_counterpart_id is not None,
        )
        for row in rows
    ]


async def base_currency(work: UnitOfWork, user_id: uuid.UUID) -> str:
    """The currency the user's money is counted in (budgets, reports, and what goals and alert
    thresholds default to): chosen by the user, USD unless they did."""
    return await currency_service.base_currency(work.session, user_id)


async def categories_by_ids(
    work: UnitOfWork, user_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """The user's categories among `ids`, id -> name (others' ids are silently absent)."""
    found = await category_service.categories_by_ids(work.session, user_id, ids)
    return {category.id: category.name for category in found}


async def detect_recurring(user_id: uuid.UUID, today: date) -> int:
    """Detect the user's recurring series in their last 18 months as of `today` (theirs) and
    store them, as the `detectRecurring` mutation does: reads the history in a read session,
    then stores in a unit of work of its own (so call it outside any). How many series are
    current. The hook for a periodic re-detection (tally/scheduler.py)."""
    async with read_session(in_transaction=True) as session:
        found = await recurring_service.detect_in_history(session, user_id, today)
    async with unit_of_work() as work:
        detection = await recurring_service.store_detection(work, user_id, found)
    return detection.detected


def export_user_data(user_id: uuid.UUID) -> list[Section]:
    """The ledger's part of the user's export (shared.export): settings, category groups and
    categories, accounts and their reconciliations, payees, tags, transactions (with their tags
    and split parts), budgets, goals and their contributions, exchange rates, recurring series
    and file imports. Nothing is read until the document is written, and then page by page, so
    any number of transactions fits."""
    return user_data.export_sections(user_id)


async def delete_user_data(work: UnitOfWork, user_id: uuid.UUID) -> dict[str, int]:
    """Delete every row of the user in the ledger inside the caller's transaction (tables added
    later included: their rows are found by `user_id` or through foreign keys); how many rows
    went, by table. Nothing is announced."""
    return await user_data.delete_user_data(work, user_id)


async def account_ids_of_items(
    user_id: uuid.UUID, item_refs: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """The ids of the user's ledger accounts of each linked item (item_ref -> account ids)."""
    return await user_data.account_ids_of_items(user_id, item_refs)


async def rebuild_report_totals(
    user_ids: Sequence[uuid.UUID] | None = None,
) -> dict[uuid.UUID, int]:
    """Sum these users' whole histories into their report totals anew (default: every user with
    transactions whose totals were never built), one unit of work per user; rows stored per
    user. Safe to run again: a rebuild replaces what was stored."""
    if user_ids is None:
        async with read_session() as session:
            user_ids = await totals_upkeep.users_not_built(session)
    stored: dict[uuid.UUID, int] = {}
    for user_id in user_ids:
        async with unit_of_work() as work:
            stored[user_id] = await totals_upkeep.rebuild(work.session, user_id)
    return stored
