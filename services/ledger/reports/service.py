"""Reports over a date range: spending by category, cash flow and net worth per month.

Every sum is exact, in integer minor units; nothing is converted between currencies.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.accounts import service as account_service
from services.ledger.categories import service as category_service
from services.ledger.periods import check_range, month_of, months_between
from services.ledger.reports import repository
from shared.money import Money

# A report covers at most this many years (120 monthly points): enough for any chart, and
# it bounds what one request can ask of the database and the CPU.
MAX_REPORT_YEARS = 10


@dataclass(frozen=True)
class CategorySpending:
    category_id: uuid.UUID
    category_name: str
    amount: Money  # money out, positive; refunds reduce it


async def spending_by_category(
    session: AsyncSession, user_id: uuid.UUID, date_from: dt.date, date_to: dt.date
) -> list[CategorySpending]:
    """Net money out per category (and currency) in the range, largest first.

    Categories with no net spending (e.g. Income) and uncategorized transactions are left
    out: the public type requires a category.
    """
    check_range(date_from, date_to, from_field="from", to_field="to", max_years=MAX_REPORT_YEARS)
    names = {
        category.id: category.name
        for category in await category_service.list_categories(session, user_id)
    }
    spending = [
        CategorySpending(category_id, names[category_id], Money(-total, currency))
        for category_id, currency, total in await repository.sums_by_category(
            session, user_id, date_from, date_to
        )
        if total < 0
    ]
    spending.sort(key=lambda row: (-row.amount.minor, row.category_name, row.amount.currency))
    return spending


TRANSFERS_GROUP = "Transfers"


@dataclass(frozen=True)
class CashFlow:
    month: str
    income: Money
    expenses: Money  # money out, positive

    @property
    def net(self) -> Money:
        return self.income - self.expenses


async def cash_flow(
    session: AsyncSession, user_id: uuid.UUID, date_from: dt.date, date_to: dt.date
) -> list[CashFlow]:
    """Money in and out per calendar month of the range (inclusive; every month, even empty).

    In the user's home currency only (other currencies are not converted). Transactions in a
    category of the Transfers group are left out: moving money between one's own accounts is
    neither income nor spending. Pending transactions count.
    """
    check_range(date_from, date_to, from_field="from", to_field="to", max_years=MAX_REPORT_YEARS)
    currency = await account_service.home_currency(session, user_id)
    money_in: defaultdict[str, int] = defaultdict(int)
    money_out: defaultdict[str, int] = defaultdict(int)
    for day, day_in, day_out in await repository.daily_flows(
        session, user_id, currency, date_from, date_to, excluded_group=TRANSFERS_GROUP
    ):
        money_in[month_of(day)] += day_in
        money_out[month_of(day)] += day_out
    return [
        CashFlow(
            month=str(month),
            income=Money(money_in[str(month)], currency),
            expenses=Money(-money_out[str(month)], currency),
        )
        for month in months_between(date_from, date_to)
    ]


@dataclass(frozen=True)
class NetWorth:
    date: dt.date
    amount: Money

    @property
    def month(self) -> str:
        return month_of(self.date)


async def net_worth(
    session: AsyncSession, user_id: uuid.UUID, date_from: dt.date, date_to: dt.date
) -> list[NetWorth]:
    """The sum of the user's account balances at the end of each month of the range (the last
    point at `to`), in the home currency (accounts in other currencies are left out).

    A balance on a day is the opening balance plus the transactions up to that day; for a
    linked account with a bank-reported balance, that balance less the transactions after
    that day, so the latest point agrees with the accounts list.
    """
    check_range(date_from, date_to, from_field="from", to_field="to", max_years=MAX_REPORT_YEARS)
    currency = await account_service.home_currency(session, user_id)
    accounts = [
        a for a in await account_service.list_accounts(session, user_id) if a.currency == currency
    ]
    totals = await account_service.transaction_sums(
        session, user_id, [account.id for account in accounts]
    )
    # Each balance is (a constant) + (its transactions dated up to the day): the constant is
    # today's balance less all its transactions.
    base = sum(
        account_service.balance_of(account, totals.get(account.id, 0)).minor
        - totals.get(account.id, 0)
        for account in accounts
    )
    running = base + await repository.sum_before(session, user_id, currency, date_from)
    by_month: defaultdict[str, int] = defaultdict(int)
    for day, day_in, day_out in await repository.daily_flows(
        session, user_id, currency, date_from, date_to
    ):
        by_month[month_of(day)] += day_in + day_out
    points = []
    for month in months_between(date_from, date_to):
        running += by_month[str(month)]
        points.append(NetWorth(date=min(month.last_day, date_to), amount=Money(running, currency)))
    return points
