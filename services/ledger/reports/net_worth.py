"""Net worth over time from daily balances: the sum of the user's account balances at the end
of each period of a range (day, week, month, year, or the range's last day), in the base
currency.

A balance on a day is the account's opening balance plus its transactions dated up to that
day (pending ones and both halves of transfers included). A linked account whose bank reports
a balance knows only today's: its history is reconstructed backwards, that balance less the
transactions dated after the day, so the latest point agrees with the accounts list. A closed
account counts up to the day before it closed. Each currency's balances at a point are added
up exactly, then converted once at the rate in force on the point's date (a valuation that
day, not a stored figure); a currency without such a rate is listed in `unconverted`.

Cost: the sums before the range and (for linked accounts) after it come from the report
totals, month by month; inside the range, per period: monthly sums for months and years, one
query of daily sums per account for days and weeks. Never one query per point.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.accounts import service as account_service
from services.ledger.currencies import service as currency_service
from services.ledger.models import Account
from services.ledger.periods import EARLIEST_DATE, LATEST_DATE, check_range, month_of
from services.ledger.reports import totals
from services.ledger.reports.intervals import MAX_REPORT_YEARS, Interval, PeriodFinder, periods_of
from services.ledger.reports.repository import Dimension, Flow, daily_sums_by_account
from shared.money import Money

_BY_ACCOUNT = frozenset({Dimension.ACCOUNT})


@dataclass(frozen=True)
class NetWorth:
    date: dt.date
    amount: Money
    # Balances in currencies with no rate on or before the date: not in `amount`.
    unconverted: tuple[Money, ...] = ()

    @property
    def month(self) -> str:
        return month_of(self.date)


def _by_account(flows: Sequence[Flow]) -> defaultdict[uuid.UUID | None, int]:
    sums: defaultdict[uuid.UUID | None, int] = defaultdict(int)
    for flow in flows:
        sums[flow.account_id] += flow.figures.amount_minor
    return sums


async def net_worth(
    session: AsyncSession,
    user_id: uuid.UUID,
    date_from: dt.date,
    date_to: dt.date,
    interval: Interval = Interval.MONTH,
) -> list[NetWorth]:
    check_range(date_from, date_to, from_field="from", to_field="to", max_years=MAX_REPORT_YEARS)
    basis = await totals.basis(session, user_id)
    base, built = basis.base, basis.built
    accounts = await account_service.list_accounts(session, user_id)
    before: defaultdict[uuid.UUID | None, int] = defaultdict(int)
    if date_from > EARLIEST_DATE:
        before = _by_account(
            await totals.flows(
                session,
                user_id,
                EARLIEST_DATE,
                date_from - dt.timedelta(days=1),
                _BY_ACCOUNT,
                built=built,
            )
        )
    periods = periods_of(date_from, date_to, interval)
    finder = PeriodFinder(periods)
    deltas: list[defaultdict[uuid.UUID | None, int]] = [defaultdict(int) for _ in periods]
    if interval.needs_days:
        for day, account_id, total in await daily_sums_by_account(
            session, user_id, date_from, date_to
        ):
            deltas[finder.index_of(day)][account_id] += total
    else:
        for flow in await totals.flows(
            session, user_id, date_from, date_to, _BY_ACCOUNT, built=built
        ):
            deltas[finder.index_of(flow.period)][flow.account_id] += flow.figures.amount_minor
    after = await _sums_after(session, user_id, accounts, date_to, built)
    running: dict[uuid.UUID | None, int] = {
        account.id: _constant(account, before, deltas, after) + before[account.id]
        for account in accounts
    }
    currencies = {account.currency for account in accounts}
    rates = await currency_service.rates_in_force(
        session, user_id, base, currencies - {base}, date_from, date_to
    )
    points = []
    for index, period in enumerate(periods):
        for key, total in deltas[index].items():
            if key in running:
                running[key] += total
        day = period.end
        held: defaultdict[str, int] = defaultdict(int)
        for account in accounts:
            if account.closed_on is None or account.closed_on > day:
                held[account.currency] += running[account.id]
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


async def _sums_after(
    session: AsyncSession,
    user_id: uuid.UUID,
    accounts: Sequence[Account],
    date_to: dt.date,
    built: bool,
) -> defaultdict[uuid.UUID | None, int]:
    """Per account, its transactions dated after the range: only linked accounts' balances
    (reconstructed backwards from the bank's) need them."""
    if date_to >= LATEST_DATE or all(
        account_service.balance_needs_transactions(a) for a in accounts
    ):
        return defaultdict(int)
    return _by_account(
        await totals.flows(
            session, user_id, date_to + dt.timedelta(days=1), LATEST_DATE, _BY_ACCOUNT, built=built
        )
    )


def _constant(
    account: Account,
    before: dict[uuid.UUID | None, int],
    deltas: Sequence[dict[uuid.UUID | None, int]],
    after: dict[uuid.UUID | None, int],
) -> int:
    """The part of the account's balance that is not its transactions up to a day: the opening
    balance, or for a bank-reported balance, that balance less all its transactions."""
    if account_service.balance_needs_transactions(account):
        return account.opening_balance_minor
    everything = (
        before.get(account.id, 0)
        + sum(delta.get(account.id, 0) for delta in deltas)
        + after.get(account.id, 0)
    )
    return account_service.balance_of(account, everything).minor - everything
