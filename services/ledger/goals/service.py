"""Savings goals: a target amount, money put aside toward it, and when it will be reached."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger import rows
from services.ledger.currencies import service as currency_service
from services.ledger.goals import repository
from services.ledger.models import MAX_NAME, Goal, GoalContribution
from services.ledger.periods import check_date
from shared.clock import today
from shared.db import UnitOfWork
from shared.errors import BadUserInput, NotFound
from shared.money import Money, parse_currency
from shared.validation import clean_text


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
        else await currency_service.base_currency(session, user_id)
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
    contribution = Money.parse(amount, goal.currency, "input.amount")
    if contribution.minor <= 0:
        raise BadUserInput("input.amount", "must be greater than zero")
    when = contributed_on or day
    check_date(when, "input.date")
    if when > day:
        raise BadUserInput("input.date", "must not be in the future")
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


async def goal_report(
    session: AsyncSession, user_id: uuid.UUID, goal_id: uuid.UUID, *, as_of: dt.date | None = None
) -> GoalReport:
    """One of the user's goals with its progress; NOT_FOUND for anyone else's."""
    goal = await repository.goal_for_user(session, user_id, goal_id)
    if goal is None:
        raise NotFound("Goal")
    [report] = await goal_reports(session, [goal], as_of=as_of)
    return report
