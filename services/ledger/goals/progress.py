"""What is saved toward goals, and how it goes: progress, status, pace, a projected date and
the monthly amount needed, for any number of goals in a fixed number of queries.

A goal is funded one of three ways (its `funding`), which says what counts as saved:

- contributions: the money the user put aside for it (contributeToGoal);
- account: the balance of one of the user's accounts, in the goal's currency (an account in
  another currency is refused: a balance converted at a rate would move with every new rate,
  and the goal's progress with it);
- category: the category's envelope since the goal started counting it: what was budgeted for
  it, month by month from that month through the current one, plus the net of its
  transactions over the same days (spending lowers it, refunds and money in raise it). Budgets
  are in the base currency, so such a goal is too; transactions in other currencies count at
  their converted figure (those waiting for a rate are left out).

Every figure is exact, in integer minor units. "Today" is the caller's, in their time zone.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.accounts import service as account_service
from services.ledger.goals import repository
from services.ledger.models import (
    GOAL_FUNDING_ACCOUNT,
    GOAL_FUNDING_CATEGORY,
    GOAL_FUNDING_CONTRIBUTIONS,
    Goal,
)
from services.ledger.periods import Month, month_of
from shared.clock import today
from shared.money import Money

# An account-funded goal projects from how its balance moved over this many days.
ACCOUNT_PACE_DAYS = 90

STATUS_ACTIVE, STATUS_PAUSED, STATUS_REACHED = "active", "paused", "reached"
PACE_ON_TRACK, PACE_BEHIND, PACE_NO_TARGET_DATE = "on_track", "behind", "no_target_date"


@dataclass(frozen=True)
class GoalReport:
    goal: Goal
    saved: Money
    projected_date: dt.date | None
    # What to set aside in each calendar month from the current one through the target
    # date's month; None without a target date.
    monthly_amount_needed: Money | None = None

    @property
    def target(self) -> Money:
        return Money(self.goal.target_minor, self.goal.currency)

    @property
    def progress(self) -> float:
        """Display only (0..1); every sum behind it is exact."""
        if self.goal.target_minor <= 0:
            return 1.0
        return min(1.0, max(0.0, self.saved.minor / self.goal.target_minor))

    @property
    def reached(self) -> bool:
        return self.saved.minor >= self.goal.target_minor

    @property
    def status(self) -> str:
        """Reached whenever saved covers the target, else paused while the user paused it."""
        if self.reached:
            return STATUS_REACHED
        return STATUS_PAUSED if self.goal.paused_at is not None else STATUS_ACTIVE

    @property
    def pace(self) -> str:
        """Reached or paused as the status says; else without a target date nothing to be on
        track for; else on track when the projected date is on or before the target date,
        behind otherwise (no projection: no rate of saving yet)."""
        if self.status != STATUS_ACTIVE:
            return self.status
        if self.goal.target_date is None:
            return PACE_NO_TARGET_DATE
        if self.projected_date is not None and self.projected_date <= self.goal.target_date:
            return PACE_ON_TRACK
        return PACE_BEHIND


def projection(remaining_minor: int, gained_minor: int, days: int, on: dt.date) -> dt.date | None:
    """When `remaining` is saved at the pace of `gained` per `days`, rounded up to whole days.
    None without a pace (nothing gained, no days), once nothing remains, or beyond the
    calendar."""
    if remaining_minor <= 0 or gained_minor <= 0 or days <= 0:
        return None
    # ceil(remaining / rate) in exact integers: remaining * days / gained.
    days_needed = -(-remaining_minor * days // gained_minor)
    try:
        return on + dt.timedelta(days=days_needed)
    except OverflowError:
        return None


def projected_date(
    saved_minor: int, target_minor: int, first_on: dt.date | None, on: dt.date
) -> dt.date | None:
    """When the goal is reached at the average rate so far (saved / days since the first
    contribution). None while there is no rate yet (nothing saved, or everything saved today),
    once the goal is reached, or beyond the calendar."""
    if first_on is None:
        return None
    return projection(target_minor - saved_minor, saved_minor, (on - first_on).days, on)


def monthly_amount_needed(
    remaining_minor: int, target_date: dt.date, on: dt.date, currency: str
) -> Money:
    """The remaining amount spread over the calendar months from `on`'s through the target
    date's (both counted; all of it in the current month once the target month has come),
    rounded up to the minor unit so that the months together reach the target."""
    if remaining_minor <= 0:
        return Money.zero(currency)
    months = max(1, (target_date.year - on.year) * 12 + (target_date.month - on.month) + 1)
    return Money(-(-remaining_minor // months), currency)


async def goal_reports(
    session: AsyncSession,
    user_id: uuid.UUID,
    goals: Sequence[Goal],
    *,
    as_of: dt.date | None = None,
) -> list[GoalReport]:
    """The goals' reports in a fixed number of queries, whatever their number: one per kind
    of funding among them (two or three for accounts and categories)."""
    day = as_of or today()
    by_funding: defaultdict[str, list[Goal]] = defaultdict(list)
    for goal in goals:
        by_funding[goal.funding].append(goal)
    reports: dict[uuid.UUID, GoalReport] = {}
    for found in (
        await _by_contributions(session, by_funding[GOAL_FUNDING_CONTRIBUTIONS], day),
        await _by_accounts(session, user_id, by_funding[GOAL_FUNDING_ACCOUNT], day),
        await _by_categories(session, user_id, by_funding[GOAL_FUNDING_CATEGORY], day),
    ):
        reports.update({report.goal.id: report for report in found})
    return [_with_monthly_amount(reports[goal.id], day) for goal in goals]


def _with_monthly_amount(report: GoalReport, day: dt.date) -> GoalReport:
    target_date = report.goal.target_date
    if target_date is None:
        return report
    remaining = report.goal.target_minor - report.saved.minor
    needed = monthly_amount_needed(remaining, target_date, day, report.goal.currency)
    return replace(report, monthly_amount_needed=needed)


async def _by_contributions(
    session: AsyncSession, goals: Sequence[Goal], day: dt.date
) -> list[GoalReport]:
    if not goals:
        return []
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


async def _by_accounts(
    session: AsyncSession, user_id: uuid.UUID, goals: Sequence[Goal], day: dt.date
) -> list[GoalReport]:
    """Saved is the account's balance; the pace is its change over the last
    ACCOUNT_PACE_DAYS days (or since its first transaction, if that is more recent: as for
    contributions, the first day's money over the days since)."""
    if not goals:
        return []
    ids = sorted({goal.account_id for goal in goals if goal.account_id is not None})
    accounts = {a.id: a for a in await account_service.accounts_by_ids(session, user_id, ids)}
    sums = await account_service.transaction_sums(session, user_id, ids)
    window_start = day - dt.timedelta(days=ACCOUNT_PACE_DAYS)
    changes = await repository.account_changes(session, user_id, ids, window_start, day)
    reports = []
    for goal in goals:
        account = accounts.get(goal.account_id) if goal.account_id is not None else None
        saved = Money.zero(goal.currency)
        projected = None
        if account is not None and account.currency == goal.currency:
            saved = account_service.balance_of(account, sums.get(account.id, 0))
            change = changes.get(account.id)
            if change is not None:
                since = max(window_start, change.first_on)
                projected = projection(
                    goal.target_minor - saved.minor, change.net_minor, (day - since).days, day
                )
        reports.append(GoalReport(goal=goal, saved=saved, projected_date=projected))
    return reports


async def _by_categories(
    session: AsyncSession, user_id: uuid.UUID, goals: Sequence[Goal], day: dt.date
) -> list[GoalReport]:
    """Saved is budgeted plus the net of the category's transactions, from the first day of
    the month the goal started counting it through today; the pace is that per day."""
    if not goals:
        return []
    starts = {goal.id: _start_month(goal) for goal in goals}
    ids = sorted({goal.category_id for goal in goals if goal.category_id is not None})
    first = min(starts.values())
    budgets = await repository.category_budgets(session, user_id, ids, str(first), month_of(day))
    figures = await repository.category_daily_figures(session, user_id, ids, first.first_day, day)
    reports = []
    for goal in goals:
        start = starts[goal.id]
        saved_minor = sum(
            budget.amount_minor
            for budget in budgets
            if budget.category_id == goal.category_id
            and budget.currency == goal.currency
            and Month.parse(budget.month, "month") >= start
        )
        for category_id, when, sums in figures:
            minor = sums.minor_in(goal.currency)
            if category_id == goal.category_id and when >= start.first_day and minor is not None:
                saved_minor += minor
        days = (day - start.first_day).days
        reports.append(
            GoalReport(
                goal=goal,
                saved=Money(saved_minor, goal.currency),
                projected_date=projection(goal.target_minor - saved_minor, saved_minor, days, day),
            )
        )
    return reports


def _start_month(goal: Goal) -> Month:
    # Goals from before ledger_0005 count from the day they were created.
    start = goal.funded_since or goal.created_at.date()
    return Month(start.year, start.month)
