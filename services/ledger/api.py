"""The ledger's door for other services: plain Python, no GraphQL (GraphQL types are served
by services.ledger.graphql). Other services import only this module and that one.

Sync hands over bank data (upsert_bank_accounts, ingest_bank_transactions); the gateway
provisions new users; the notifier reads transactions, budgets and categories, and listens
for the "transactions changed" announcement named here. Recurring series (bills due, a bill
larger than usual) are read with upcoming_bills and recurring_series_of_transactions; the
scheduler may re-detect them with detect_recurring.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from services.ledger.accounts import service as account_service
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
from services.ledger.budgets import service as budget_service
from services.ledger.categories import service as category_service
from services.ledger.currencies import service as currency_service

# The event the ledger announces after any change to a user's transactions (manual writes and
# bank ingest alike), after commit, with the payload
# {"user_id": str, "transaction_ids": [str, ...], "months": ["YYYY-MM", ...]}.
# Subscribe to it with a shared.events.Subscription in your own api.py.
from services.ledger.events import TRANSACTIONS_CHANGED
from services.ledger.goals import service as goal_service

# The queue the ledger's own jobs (file imports) run on: `tally worker ledger` drains it.
from services.ledger.imports.jobs import QUEUE
from services.ledger.payees import service as payee_service
from services.ledger.recurring import service as recurring_service
from services.ledger.recurring.detection import Direction as RecurringDirection
from services.ledger.recurring.schedule import Interval as RecurringInterval
from services.ledger.recurring.series import Series as RecurringSeries
from services.ledger.recurring.series import Status as RecurringStatus
from services.ledger.recurring.series import larger_than_usual
from services.ledger.reports import service as report_service
from services.ledger.reports import totals as report_totals
from services.ledger.reports import totals_upkeep
from services.ledger.tags import service as tag_service
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


@dataclass(frozen=True)
class BudgetStatus:
    """A budget as other services see it: what a category may spend in a month, and what was
    spent. The amount is the budget set, plus what carried in when the user budgets with
    rollover or envelopes (so spending beyond it is overspending in either style)."""

    budget_id: uuid.UUID
    category_id: uuid.UUID
    category_name: str
    month: str  # "YYYY-MM"
    amount: Money
    # Money out in that category and month, positive, in the budget's currency (other
    # currencies at their converted figure; those still waiting for a rate are not in it).
    spent: Money


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


async def budget_statuses(
    work: UnitOfWork, user_id: uuid.UUID, months: Sequence[str]
) -> list[BudgetStatus]:
    """Every budget of the user in those months, with what the category may spend (its budget
    and any carry) and what was spent, by month then category name.

    Raises BadUserInput("months") for a month that is not "YYYY-MM".
    """
    reports = await budget_service.spending_limits(work.session, user_id, months, field="months")
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


# --- recurring series (for "bill due" and "bill larger than usual" alerts) ------------------


@dataclass(frozen=True)
class RecurringSeriesView:
    """A recurring series as other services see it. Amounts are signed like transactions
    (money out negative), in the series' currency."""

    id: uuid.UUID
    name: str
    status: RecurringStatus
    direction: RecurringDirection
    interval: RecurringInterval
    # What the next occurrence should be: the user's correction, else the recent median.
    expected: Money
    # The recent occurrences (up to 6) smallest and largest in size: the usual range.
    smallest: Money
    largest: Money
    last_date: date

    def is_larger_than_usual(self, amount: Money) -> bool:
        """Whether `amount` (a transaction of the series) is larger in size than the usual
        range and the expected amount both; False for another currency or direction."""
        return larger_than_usual(amount, self.direction, self.expected, self.largest)

    @classmethod
    def of(cls, series: RecurringSeries) -> RecurringSeriesView:
        return cls(
            id=series.id,
            name=series.name,
            status=series.status,
            direction=series.direction,
            interval=series.interval,
            expected=series.expected,
            smallest=series.smallest,
            largest=series.largest,
            last_date=series.last_date,
        )


@dataclass(frozen=True)
class UpcomingBillView:
    """A payment a series expects: when, how much in its currency, and how much in the
    user's base currency (None while no exchange rate on or before the date exists)."""

    series: RecurringSeriesView
    date: date
    expected: Money
    in_base_currency: Money | None


async def upcoming_bills(
    work: UnitOfWork,
    user_id: uuid.UUID,
    within_days: int,
    *,
    today: date,
    include_suggested: bool = False,
) -> list[UpcomingBillView]:
    """Every payment the user's money-out series expect from `today` (the user's, in their
    time zone) through `within_days` - 1 days later, by date; a weekly bill appears once a
    week. Confirmed series only unless `include_suggested` (an alert should not fire on what
    the user never confirmed); dismissed ones never. The series' figures are those of the
    last detection: `last_date` says how fresh they are. Raises BadUserInput("within_days")
    outside 1..366."""
    days = recurring_service.upcoming_days(within_days, "within_days")
    bills = await recurring_service.upcoming_bills(
        work.session, user_id, today=today, days=days, include_suggested=include_suggested
    )
    return [
        UpcomingBillView(
            RecurringSeriesView.of(bill.series), bill.date, bill.expected, bill.in_base_currency
        )
        for bill in bills
    ]


async def recurring_series_of_transactions(
    work: UnitOfWork, user_id: uuid.UUID, transaction_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, RecurringSeriesView]:
    """transaction id -> the series (suggested or confirmed, never dismissed) it belongs to,
    for the user's transactions among `transaction_ids` (others' ids, and transactions of no
    series, are absent). With `RecurringSeriesView.is_larger_than_usual` it tells whether a
    new bill is larger than usual."""
    found = await recurring_service.series_of_transactions(work.session, user_id, transaction_ids)
    return {row_id: RecurringSeriesView.of(series) for row_id, series in found.items()}


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


# --- reads for alerts (the notifier's rules: each one query or a fixed few per call) -------


@dataclass(frozen=True)
class AlertTransactionView:
    """A transaction with what alert rules look at: its figure in the user's base currency
    (its own amount when in it; else converted at the ledger's stored rate, None while it
    waits for one), its payee, and its tags."""

    id: uuid.UUID
    account_id: uuid.UUID
    date: date
    amount: Money
    in_base_currency: Money | None
    description: str
    category_id: uuid.UUID | None
    payee_id: uuid.UUID | None
    payee_name: str | None
    tag_ids: frozenset[uuid.UUID]
    pending: bool
    is_transfer: bool


async def alert_transactions(
    work: UnitOfWork, user_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[AlertTransactionView]:
    """The user's transactions among `ids` (others' ids are silently absent), in four
    queries whatever their number: the rows, the base currency, their payees and their tags."""
    rows = await transaction_service.transactions_by_ids(work.session, user_id, ids)
    if not rows:
        return []
    base = await currency_service.base_currency(work.session, user_id)
    payee_ids = sorted({row.payee_id for row in rows if row.payee_id is not None})
    payees = {
        payee.id: payee.name
        for payee in await payee_service.payees_by_ids(work.session, user_id, payee_ids)
    }
    tags = await tag_service.tags_of_transactions(work.session, user_id, [row.id for row in rows])
    found = []
    for row in rows:
        in_base = None
        if row.currency == base:
            in_base = Money(row.amount_minor, base)
        elif row.converted_currency == base and row.converted_minor is not None:
            in_base = Money(row.converted_minor, base)
        found.append(
            AlertTransactionView(
                id=row.id,
                account_id=row.account_id,
                date=row.date,
                amount=Money(row.amount_minor, row.currency),
                in_base_currency=in_base,
                description=row.description,
                category_id=row.category_id,
                payee_id=row.payee_id,
                payee_name=payees.get(row.payee_id) if row.payee_id else None,
                tag_ids=frozenset(tag.id for tag in tags.get(row.id, [])),
                pending=row.pending,
                is_transfer=row.transfer_counterpart_id is not None,
            )
        )
    return found


async def payees_first_seen(
    work: UnitOfWork, user_id: uuid.UUID, payee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, date]:
    """payee id -> the date of the user's earliest transaction with that payee, in one query
    (others' payees, and payees without transactions, are absent)."""
    return await payee_service.first_dates(work.session, user_id, payee_ids)


async def tags_by_ids(
    work: UnitOfWork, user_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """The user's tags among `ids`, id -> name (others' ids are silently absent)."""
    found = await tag_service.tags_by_ids(work.session, user_id, ids)
    return {tag.id: tag.name for tag in found}


@dataclass(frozen=True)
class AccountBalanceView:
    id: uuid.UUID
    name: str
    # What the bank last reported for a linked account, else the opening balance plus every
    # transaction (as `Account.balance` shows it), in the account's currency.
    balance: Money


async def account_balances(
    work: UnitOfWork, user_id: uuid.UUID, account_ids: Sequence[uuid.UUID] | None = None
) -> list[AccountBalanceView]:
    """The balances of the user's open accounts (those among `account_ids`, when given;
    others' ids are silently absent), oldest first, in two queries."""
    if account_ids is None:
        accounts = await account_service.list_accounts(work.session, user_id, open_only=True)
    else:
        accounts = [
            account
            for account in await account_service.accounts_by_ids(work.session, user_id, account_ids)
            if account.closed_at is None
        ]
    needing = [a.id for a in accounts if account_service.balance_needs_transactions(a)]
    sums = await account_service.transaction_sums(work.session, user_id, needing) if needing else {}
    return [
        AccountBalanceView(
            account.id, account.name, account_service.balance_of(account, sums.get(account.id, 0))
        )
        for account in accounts
    ]


@dataclass(frozen=True)
class GoalProgressView:
    id: uuid.UUID
    name: str
    saved: Money
    target: Money
    target_date: date | None
    # "active", "paused" or "reached".
    status: str
    # "on_track", "behind", "no_target_date", or the status when not active.
    pace: str
    projected_date: date | None


async def goal_progress(
    work: UnitOfWork, user_id: uuid.UUID, *, today: date
) -> list[GoalProgressView]:
    """Every goal of the user with what is saved and how it goes as of `today` (the user's),
    in a fixed number of queries whatever their number."""
    reports = await goal_service.list_goals(work.session, user_id, as_of=today)
    return [
        GoalProgressView(
            id=report.goal.id,
            name=report.goal.name,
            saved=report.saved,
            target=report.target,
            target_date=report.goal.target_date,
            status=report.status,
            pace=report.pace,
            projected_date=report.projected_date,
        )
        for report in reports
    ]


@dataclass(frozen=True)
class CategoryMonthSpendingView:
    month: str  # "YYYY-MM"
    category_id: uuid.UUID
    category_name: str
    spent: Money  # net money out, positive, in the base currency


async def category_spending_by_month(
    work: UnitOfWork, user_id: uuid.UUID, date_from: date, date_to: date
) -> list[CategoryMonthSpendingView]:
    """Net money out per category and calendar month between the dates (inclusive), in the
    base currency (transfers, uncategorized money and what waits for a rate left out), by
    month. Raises BadUserInput("from"/"to") for a reversed or too long range."""
    found = await report_service.spending_by_category_and_month(
        work.session, user_id, date_from, date_to
    )
    return [
        CategoryMonthSpendingView(row.month, row.category_id, row.category_name, row.amount)
        for row in found
    ]


@dataclass(frozen=True)
class MoneyFlowView:
    """Money in and out over some days, in the base currency, and where it went most."""

    money_in: Money
    money_out: Money  # positive
    top_spending: tuple[tuple[str, Money], ...]  # (category name, net money out), largest first


async def money_flow(
    work: UnitOfWork, user_id: uuid.UUID, date_from: date, date_to: date, *, top: int = 3
) -> MoneyFlowView:
    """Money in and out between the dates (inclusive) as the cash-flow report counts them, and
    the `top` categories by net money out as the spending report does."""
    flows = await report_service.cash_flow(work.session, user_id, date_from, date_to)
    spending = await report_service.spending_by_category(work.session, user_id, date_from, date_to)
    base = await currency_service.base_currency(work.session, user_id)
    money_in, money_out = Money.zero(base), Money.zero(base)
    for flow in flows:
        money_in, money_out = money_in + flow.income, money_out + flow.expenses
    return MoneyFlowView(
        money_in=money_in,
        money_out=money_out,
        top_spending=tuple((row.category_name, row.amount) for row in spending[:top]),
    )
