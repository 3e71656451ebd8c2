"""Reports over a date range: spending by category and cash flow per month (net worth over
time in net_worth.py, spending and income by any grouping and interval in grouped.py).

Every report is in the user's base currency and exact, in integer minor units. A transaction
in another currency counts at its stored converted figure (see currencies/); one that waits
for a rate is left out and listed (MissingRate). Whole months come from the report totals
(totals.py), so a year costs twelve months of sums, not a year of transactions.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.currencies.conversion import MissingRate, MissingRates
from services.ledger.models import CATEGORY_KIND_TRANSFER
from services.ledger.periods import check_range, month_of, months_between
from services.ledger.reports import totals
from services.ledger.reports.intervals import MAX_REPORT_YEARS
from services.ledger.reports.net_worth import NetWorth, net_worth
from services.ledger.reports.repository import Dimension
from shared.money import Money

__all__ = [
    "MAX_REPORT_YEARS",
    "CashFlow",
    "CategoryMonthSpending",
    "CategorySpending",
    "NetWorth",
    "cash_flow",
    "net_worth",
    "spending_by_category",
    "spending_by_category_and_month",
]
_BY_CATEGORY = frozenset({Dimension.CATEGORY})


@dataclass(frozen=True)
class CategorySpending:
    category_id: uuid.UUID
    category_name: str
    amount: Money  # money out, positive; refunds reduce it


async def spending_by_category(
    session: AsyncSession, user_id: uuid.UUID, date_from: dt.date, date_to: dt.date
) -> list[CategorySpending]:
    """Net money out per category in the range, in the base currency, largest first.

    Categories with no net spending (e.g. Income) and uncategorized transactions are left
    out: the public type requires a category. So are transactions that wait for a rate
    (currency_service.missing_rates lists them).
    """
    check_range(date_from, date_to, from_field="from", to_field="to", max_years=MAX_REPORT_YEARS)
    basis, categories = await totals.basis_and_categories(session, user_id)
    base = basis.base
    names = {category.id: category.name for category in categories}
    net: defaultdict[uuid.UUID, int] = defaultdict(int)
    for flow in await totals.flows(
        session, user_id, date_from, date_to, _BY_CATEGORY, built=basis.built
    ):
        minor = flow.figures.minor_in(base)
        if minor is not None and not flow.transfer and flow.category_id is not None:
            net[flow.category_id] += minor
    spending = [
        CategorySpending(category_id, names[category_id], Money(-total, base))
        for category_id, total in net.items()
        if total < 0
    ]
    spending.sort(key=lambda row: (-row.amount.minor, row.category_name))
    return spending


@dataclass(frozen=True)
class CategoryMonthSpending:
    month: str  # "YYYY-MM"
    category_id: uuid.UUID
    category_name: str
    amount: Money  # net money out, positive; refunds reduce it


async def spending_by_category_and_month(
    session: AsyncSession, user_id: uuid.UUID, date_from: dt.date, date_to: dt.date
) -> list[CategoryMonthSpending]:
    """Net money out per category and calendar month of the range, in the base currency, by
    month then largest first; left out as in `spending_by_category` (no net spending, no
    category, transfers, waiting for a rate). One pass over the months' flows."""
    check_range(date_from, date_to, from_field="from", to_field="to", max_years=MAX_REPORT_YEARS)
    basis, categories = await totals.basis_and_categories(session, user_id)
    base = basis.base
    names = {category.id: category.name for category in categories}
    net: defaultdict[tuple[str, uuid.UUID], int] = defaultdict(int)
    for flow in await totals.flows(
        session, user_id, date_from, date_to, _BY_CATEGORY, built=basis.built
    ):
        minor = flow.figures.minor_in(base)
        if minor is not None and not flow.transfer and flow.category_id is not None:
            net[(str(month_of(flow.period)), flow.category_id)] += minor
    spending = [
        CategoryMonthSpending(month, category_id, names[category_id], Money(-total, base))
        for (month, category_id), total in net.items()
        if total < 0 and category_id in names
    ]
    spending.sort(key=lambda row: (row.month, -row.amount.minor, row.category_name))
    return spending


@dataclass(frozen=True)
class CashFlow:
    month: str
    income: Money
    expenses: Money  # money out, positive
    missing_rates: tuple[MissingRate, ...] = ()  # what the month leaves out, waiting for a rate

    @property
    def net(self) -> Money:
        return self.income - self.expenses


async def cash_flow(
    session: AsyncSession, user_id: uuid.UUID, date_from: dt.date, date_to: dt.date
) -> list[CashFlow]:
    """Money in and out per calendar month of the range (inclusive; every month, even empty),
    in the base currency.

    Transactions in a transfer category (the default "Transfers", whatever the user renamed
    it to, and any category they made a transfer) are left out: moving money between one's
    own accounts is neither income nor spending. Pending transactions count.
    """
    check_range(date_from, date_to, from_field="from", to_field="to", max_years=MAX_REPORT_YEARS)
    basis, categories = await totals.basis_and_categories(session, user_id)
    base = basis.base
    transfer_kind = {
        category.id for category in categories if category.kind == CATEGORY_KIND_TRANSFER
    }
    money_in: defaultdict[str, int] = defaultdict(int)
    money_out: defaultdict[str, int] = defaultdict(int)
    missing: defaultdict[str, MissingRates] = defaultdict(MissingRates)
    for flow in await totals.flows(
        session, user_id, date_from, date_to, _BY_CATEGORY, built=basis.built
    ):
        if flow.transfer or flow.category_id in transfer_kind:
            continue
        month = month_of(flow.period)
        minor = flow.figures.minor_in(base)
        if minor is None:
            missing[month].add(flow.figures)
        else:
            (money_in if flow.money_in else money_out)[month] += minor
    return [
        CashFlow(
            month=str(month),
            income=Money(money_in[str(month)], base),
            expenses=Money(-money_out[str(month)], base),
            missing_rates=tuple(missing[str(month)].listed()),
        )
        for month in months_between(date_from, date_to)
    ]
