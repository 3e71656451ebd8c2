"""The ledger's reads for the notifier's alert rules (budgets overspent or nearly so, a large
transaction, a low balance, goals, unusual spending, a new merchant, the weekly summary): plain
views of the user's data, each read in one query or a fixed few per call whatever the number of
rows. Other services reach them through services.ledger.api, which re-exports them.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from services.ledger.accounts import service as account_service
from services.ledger.budgets import service as budget_service
from services.ledger.currencies import service as currency_service
from services.ledger.goals import service as goal_service
from services.ledger.payees import service as payee_service
from services.ledger.reports import service as report_service
from services.ledger.tags import service as tag_service
from services.ledger.transactions import service as transaction_service
from shared.db import UnitOfWork
from shared.money import Money


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
