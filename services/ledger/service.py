"""The ledger's rules: accounts, categories, transactions, budgets, goals and reports.

Functions take a session (reads) or a UnitOfWork (writes) and never commit. Validation
happens before the first write, so a rejected request stores nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger import repository, rows
from services.ledger.accounts.service import (
    balance_of,
    home_currency,
    list_accounts,
    transaction_sums,
)
from services.ledger.categories.service import list_categories, require_category
from services.ledger.models import (
    MAX_NAME,
    Budget,
    Goal,
    GoalContribution,
)
from services.ledger.periods import Month, check_date, check_range, month_of, months_between
from shared.clock import today
from shared.db import UnitOfWork
from shared.errors import BadUserInput, NotFound
from shared.money import Money, parse_currency
from shared.validation import clean_text

# --- budgets ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetReport:
    budget_id: uuid.UUID
    category_id: uuid.UUID
    category_name: str
    month: str
    amount: Money
    spent: Money

    @property
    def remaining(self) -> Money:
        return self.amount - self.spent


async def set_budget(
    work: UnitOfWork, user_id: uuid.UUID, *, category_id: uuid.UUID, month: str, amount: Decimal
) -> BudgetReport:
    """One amount per category and month: setting it again replaces it."""
    session = work.session
    period = Month.parse(month, "input.month")
    category = await require_category(session, user_id, category_id)
    currency = await home_currency(session, user_id)
    limit = Money.parse(amount, currency, "input.amount")
    if limit.minor < 0:
        raise BadUserInput("input.amount", "must not be negative")
    budget = await repository.budget_for(session, user_id, category.id, str(period))
    if budget is None:
        budget = Budget(user_id=user_id, category_id=category.id, month=str(period))
        rows.add(session, budget)
    budget.amount_minor = limit.minor
    budget.currency = limit.currency
    await session.flush()
    reports = await _budget_reports(session, user_id, [period])
    return next(report for report in reports if report.budget_id == budget.id)


async def budget_reports(
    session: AsyncSession, user_id: uuid.UUID, months: Sequence[str], field: str = "month"
) -> list[BudgetReport]:
    periods = sorted({Month.parse(month, field) for month in months})
    return await _budget_reports(session, user_id, periods)


async def _budget_reports(
    session: AsyncSession, user_id: uuid.UUID, periods: Sequence[Month]
) -> list[BudgetReport]:
    if not periods:
        return []
    budgets = await repository.budgets_in_months(session, user_id, [str(p) for p in periods])
    if not budgets:
        return []
    sums = await repository.sums_by_category_and_day(
        session,
        user_id,
        periods[0].first_day,
        periods[-1].last_day,
        category_ids=sorted({budget.category_id for budget, _ in budgets}),
    )
    # Net per (category, month, currency): spending is negative, refunds positive.
    net: defaultdict[tuple[uuid.UUID, str, str], int] = defaultdict(int)
    for category_id, currency, day, total in sums:
        net[(category_id, month_of(day), currency)] += total
    return [
        BudgetReport(
            budget_id=budget.id,
            category_id=budget.category_id,
            category_name=name,
            month=budget.month,
            amount=Money(budget.amount_minor, budget.currency),
            spent=Money(-net[(budget.category_id, budget.month, budget.currency)], budget.currency),
        )
        for budget, name in budgets
    ]


# --- goals --------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalReport:
    goal: Goal
    saved: Money
    projected_date: dt.date | None

    @property
    def target(self) -> Money:
        return Money(self.goal.target_minor, self.goal.currency)

    @property
    def progress(self) -> float:
        """Display only (0..1); every sum behind it is exact."""
        if self.goal.target_minor <= 0:
            return 1.0
        return min(1.0, max(0.0, self.saved.minor / self.goal.target_minor))


def projected_date(
    saved_minor: int, target_minor: int, first_on: dt.date | None, on: dt.date
) -> dt.date | None:
    """When the goal is reached at the average rate so far (saved / days since the first
    contribution). None while there is no rate yet (nothing saved, or everything saved today),
    once the goal is reached, or beyond the calendar."""
    if saved_minor >= target_minor or saved_minor <= 0 or first_on is None:
        return None
    elapsed = (on - first_on).days
    if elapsed <= 0:
        return None
    # ceil(remaining / rate) in exact integers: remaining * elapsed / saved.
    days_needed = -(-(target_minor - saved_minor) * elapsed // saved_minor)
    try:
        return on + dt.timedelta(days=days_needed)
    except OverflowError:
        return None


async def create_goal(
    work: UnitOfWork,
    user_id: uuid.UUID,
    *,
    name: str,
    target_amount: Decimal,
    currency: str | None,
    target_date: dt.date | None,
    as_of: dt.date | None = None,
) -> GoalReport:
    session = work.session
    clean_name = clean_text(name, "input.name", max_length=MAX_NAME)
    code = (
        parse_currency(currency, "input.currency")
        if currency is not None
        else await home_currency(session, user_id)
    )
    target = Money.parse(target_amount, code, "input.targetAmount")
    if target.minor <= 0:
        raise BadUserInput("input.targetAmount", "must be greater than zero")
    if target_date is not None:
        check_date(target_date, "input.targetDate")
        if target_date < (as_of or today()):
            raise BadUserInput("input.targetDate", "must not be in the past")
    goal = Goal(
        user_id=user_id,
        name=clean_name,
        target_minor=target.minor,
        currency=target.currency,
        target_date=target_date,
    )
    rows.add(session, goal)
    await session.flush()
    return GoalReport(goal=goal, saved=Money.zero(goal.currency), projected_date=None)


async def contribute_to_goal(
    work: UnitOfWork,
    user_id: uuid.UUID,
    goal_id: uuid.UUID,
    amount: Decimal,
    *,
    contributed_on: dt.date | None = None,
    as_of: dt.date | None = None,
) -> GoalReport:
    """Add money put aside for a goal (positive only; a goal is not an account)."""
    session = work.session
    day = as_of or today()
    goal = await repository.goal_for_user(session, user_id, goal_id)
    if goal is None:
        raise NotFound("Goal")
    contribution = Money.parse(amount, goal.currency, "amount")
    if contribution.minor <= 0:
        raise BadUserInput("amount", "must be greater than zero")
    when = contributed_on or day
    check_date(when, "date")
    if when > day:
        raise BadUserInput("date", "must not be in the future")
    rows.add(
        session,
        GoalContribution(goal_id=goal.id, amount_minor=contribution.minor, contributed_on=when),
    )
    await session.flush()
    reports = await goal_reports(session, [goal], as_of=day)
    return reports[0]


async def list_goals(
    session: AsyncSession, user_id: uuid.UUID, *, as_of: dt.date | None = None
) -> list[GoalReport]:
    return await goal_reports(
        session, await repository.goals_for_user(session, user_id), as_of=as_of
    )


async def goal_reports(
    session: AsyncSession, goals: Sequence[Goal], *, as_of: dt.date | None = None
) -> list[GoalReport]:
    day = as_of or today()
    totals = await repository.contribution_totals(session, goals)
    reports = []
    for goal in goals:
        total = totals.get(goal.id, repository.ContributionTotals(0, None))
        reports.append(
            GoalReport(
                goal=goal,
                saved=Money(total.saved_minor, goal.currency),
                projected_date=projected_date(
                    total.saved_minor, goal.target_minor, total.first_on, day
                ),
            )
        )
    return reports


# --- reports ------------------------------------------------------------------------------


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
    check_range(date_from, date_to, from_field="from", to_field="to")
    names = {category.id: category.name for category in await list_categories(session, user_id)}
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
    check_range(date_from, date_to, from_field="from", to_field="to")
    currency = await home_currency(session, user_id)
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
    check_range(date_from, date_to, from_field="from", to_field="to")
    currency = await home_currency(session, user_id)
    accounts = [a for a in await list_accounts(session, user_id) if a.currency == currency]
    totals = await transaction_sums(session, user_id, [account.id for account in accounts])
    # Each balance is (a constant) + (its transactions dated up to the day): the constant is
    # today's balance less all its transactions.
    base = sum(
        balance_of(account, totals.get(account.id, 0)).minor - totals.get(account.id, 0)
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
