"""Reports over a date range: spending by category, cash flow and net worth per month.

Every report is in the user's base currency and exact, in integer minor units. A transaction
in another currency counts at its stored converted figure (see currencies/); one that waits
for a rate is left out and listed (MissingRate). Net worth values each balance at the rate in
force on the point's date.
"""

from __future__ import annotations

import bisect
import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.accounts import service as account_service
from services.ledger.categories import service as category_service
from services.ledger.currencies import service as currency_service
from services.ledger.currencies.conversion import MissingRate, MissingRates
from services.ledger.models import CATEGORY_KIND_TRANSFER, Account
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
    """Net money out per category in the range, in the base currency, largest first.

    Categories with no net spending (e.g. Income) and uncategorized transactions are left
    out: the public type requires a category. So are transactions that wait for a rate
    (currency_service.missing_rates lists them).
    """
    check_range(date_from, date_to, from_field="from", to_field="to", max_years=MAX_REPORT_YEARS)
    base = await currency_service.base_currency(session, user_id)
    names = {
        category.id: category.name
        for category in await category_service.list_categories(session, user_id)
    }
    net: defaultdict[uuid.UUID, int] = defaultdict(int)
    for category_id, figures in await repository.sums_by_category(
        session, user_id, date_from, date_to
    ):
        minor = figures.minor_in(base)
        if minor is not None:
            net[category_id] += minor
    spending = [
        CategorySpending(category_id, names[category_id], Money(-total, base))
        for category_id, total in net.items()
        if total < 0
    ]
    spending.sort(key=lambda row: (-row.amount.minor, row.category_name))
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
    base = await currency_service.base_currency(session, user_id)
    money_in: defaultdict[str, int] = defaultdict(int)
    money_out: defaultdict[str, int] = defaultdict(int)
    missing: defaultdict[str, MissingRates] = defaultdict(MissingRates)
    for day, is_in, figures in await repository.daily_flows(
        session, user_id, date_from, date_to, excluded_kind=CATEGORY_KIND_TRANSFER
    ):
        minor = figures.minor_in(base)
        if minor is None:
            missing[month_of(day)].add(figures)
        else:
            (money_in if is_in else money_out)[month_of(day)] += minor
    return [
        CashFlow(
            month=str(month),
            income=Money(money_in[str(month)], base),
            expenses=Money(-money_out[str(month)], base),
            missing_rates=tuple(missing[str(month)].listed()),
        )
        for month in months_between(date_from, date_to)
    ]


@dataclass(frozen=True)
class NetWorth:
    date: dt.date
    amount: Money
    # Balances in currencies with no rate on or before the date: not in `amount`.
    unconverted: tuple[Money, ...] = ()

    @property
    def month(self) -> str:
        return month_of(self.date)


async def net_worth(
    session: AsyncSession, user_id: uuid.UUID, date_from: dt.date, date_to: dt.date
) -> list[NetWorth]:
    """The sum of the user's account balances at the end of each month of the range (the last
    point at `to`), in the base currency. A closed account counts up to the day before it
    closed.

    A balance on a day is the opening balance plus the transactions up to that day; for a
    linked account with a bank-reported balance, that balance less the transactions after
    that day, so the latest point agrees with the accounts list. The balances of each other
    currency are added up exactly, then converted once per point at the rate in force on its
    date (the latest on or before it): a valuation on that day, not a stored figure, so a rate
    added later for a day between that rate and the point revalues the point. A currency
    without such a rate is left out and listed in `unconverted`.
    """
    check_range(date_from, date_to, from_field="from", to_field="to", max_years=MAX_REPORT_YEARS)
    base = await currency_service.base_currency(session, user_id)
    accounts = await account_service.list_accounts(session, user_id)
    totals = await account_service.transaction_sums(
        session, user_id, [account.id for account in accounts]
    )
    # Each balance is (a constant) + (its transactions dated up to the day): the constant is
    # today's balance less all its transactions. Summed per currency, exactly.
    running: defaultdict[str, int] = defaultdict(int)
    for account in accounts:
        total = totals.get(account.id, 0)
        running[account.currency] += account_service.balance_of(account, total).minor - total
    for currency, total in (
        await repository.sums_before_by_currency(session, user_id, date_from)
    ).items():
        running[currency] += total
    by_month: defaultdict[str, defaultdict[str, int]] = defaultdict(lambda: defaultdict(int))
    for day, currency, total in await repository.daily_sums_by_currency(
        session, user_id, date_from, date_to
    ):
        by_month[month_of(day)][currency] += total
    currencies = set(running) | {c for month in by_month.values() for c in month}
    rates = await currency_service.rates_in_force(
        session, user_id, base, currencies - {base}, date_from, date_to
    )
    closed = await _ClosedAccounts.of(session, user_id, accounts, totals, date_to)
    points = []
    for month in months_between(date_from, date_to):
        for currency, total in by_month[str(month)].items():
            running[currency] += total
        day = min(month.last_day, date_to)
        held = closed.counted_on(running, day)
        amount, unconverted = held[base], []
        for currency in sorted(currencies - {base}):
            if not held[currency]:
                continue
            conversion = rates.convert(Money(held[currency], currency), day)
            if conversion is None:
                unconverted.append(Money(held[currency], currency))
            else:
                amount += conversion.money.minor
        points.append(NetWorth(day, Money(amount, base), tuple(unconverted)))
    return points


@dataclass(frozen=True)
class _ClosedAccounts:
    """The accounts closed on or before a range's end: each leaves net worth from the day it
    closed, with whatever balance it had that day."""

    accounts: list[Account]
    # Per account: its constant part (see net_worth) and its daily nets, by day.
    constants: dict[uuid.UUID, int]
    days: dict[uuid.UUID, list[dt.date]]
    running_sums: dict[uuid.UUID, list[int]]

    @classmethod
    async def of(
        cls,
        session: AsyncSession,
        user_id: uuid.UUID,
        accounts: list[Account],
        totals: dict[uuid.UUID, int],
        date_to: dt.date,
    ) -> _ClosedAccounts:
        closed = [a for a in accounts if a.closed_on is not None and a.closed_on <= date_to]
        days: defaultdict[uuid.UUID, list[dt.date]] = defaultdict(list)
        sums: defaultdict[uuid.UUID, list[int]] = defaultdict(list)
        daily = await account_service.daily_sums_of(
            session, user_id, [a.id for a in closed], date_to
        )
        for account_id, day, total in sorted(daily):
            days[account_id].append(day)
            sums[account_id].append((sums[account_id] or [0])[-1] + total)
        constants = {
            a.id: account_service.balance_of(a, totals.get(a.id, 0)).minor - totals.get(a.id, 0)
            for a in closed
        }
        return cls(closed, constants, dict(days), dict(sums))

    def counted_on(self, running: dict[str, int], day: dt.date) -> defaultdict[str, int]:
        """The per-currency balances of `running` less the accounts closed by `day`."""
        held: defaultdict[str, int] = defaultdict(int, running)
        for account in self.accounts:
            if account.closed_on is None or account.closed_on > day:
                continue
            index = bisect.bisect_right(self.days.get(account.id, []), day)
            transactions = self.running_sums[account.id][index - 1] if index else 0
            held[account.currency] -= self.constants[account.id] + transactions
        return held
