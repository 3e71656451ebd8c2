"""Savings goals: creating, changing, pausing, deleting and contributing to them, and reading
them with their progress (see progress.py for what counts as saved under each funding).

A goal funded by an account must be in the account's currency; one funded by a category, in
the base currency (its budgets are). "Today" is the caller's, in their time zone.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger import rows
from services.ledger.accounts import service as account_service
from services.ledger.categories import service as category_service
from services.ledger.currencies import service as currency_service
from services.ledger.goals import repository
from services.ledger.goals.progress import GoalReport, goal_reports
from services.ledger.models import (
    GOAL_FUNDING_ACCOUNT,
    GOAL_FUNDING_CATEGORY,
    GOAL_FUNDING_CONTRIBUTIONS,
    GOAL_FUNDINGS,
    MAX_NAME,
    Goal,
    GoalContribution,
)
from services.ledger.periods import check_date
from shared.clock import today, utcnow
from shared.db import UnitOfWork
from shared.errors import BadUserInput, NotFound
from shared.money import Money, parse_currency
from shared.validation import clean_text

# An update field the caller left out (as opposed to setting it to null).
Keep = account_service.Keep
KEEP = account_service.KEEP


# --- creating and changing ------------------------------------------------------------------


@dataclass(frozen=True)
class Funding:
    """What a goal is funded by: its kind, and the account or category it names."""

    kind: str = GOAL_FUNDING_CONTRIBUTIONS
    account_id: uuid.UUID | None = None
    category_id: uuid.UUID | None = None


async def create_goal(
    work: UnitOfWork,
    user_id: uuid.UUID,
    *,
    name: str,
    target_amount: Decimal,
    currency: str | None,
    target_date: dt.date | None,
    funding: Funding | None = None,
    as_of: dt.date | None = None,
) -> GoalReport:
    session = work.session
    day = as_of or today()
    funding = funding or Funding()
    clean_name = clean_text(name, "input.name", max_length=MAX_NAME)
    if currency is not None:
        code = parse_currency(currency, "input.currency")
    elif funding.kind == GOAL_FUNDING_ACCOUNT and funding.account_id is not None:
        # An account-funded goal counts in its account's currency unless told otherwise.
        account = await account_service.require_account(session, user_id, funding.account_id)
        code = account.currency
    else:
        code = await currency_service.base_currency(session, user_id)
    target = _target(target_amount, code)
    _check_target_date(target_date, day)
    goal = Goal(
        user_id=user_id,
        name=clean_name,
        target_minor=target.minor,
        currency=target.currency,
        target_date=target_date,
    )
    await _fund(session, user_id, goal, funding, day, currency_field="input.currency")
    rows.add(session, goal)
    await session.flush()
    [report] = await goal_reports(session, user_id, [goal], as_of=day)
    return report


def _target(amount: Decimal, currency: str) -> Money:
    target = Money.parse(amount, currency, "input.targetAmount")
    if target.minor <= 0:
        raise BadUserInput("input.targetAmount", "must be greater than zero")
    return target


def _check_target_date(target_date: dt.date | None, day: dt.date) -> None:
    if target_date is None:
        return
    check_date(target_date, "input.targetDate")
    if target_date < day:
        raise BadUserInput("input.targetDate", "must not be in the past")


async def _fund(
    session: AsyncSession,
    user_id: uuid.UUID,
    goal: Goal,
    funding: Funding,
    day: dt.date,
    *,
    currency_field: str,
) -> None:
    """Check a funding against the goal and set it, counting from `day`."""
    if funding.kind not in GOAL_FUNDINGS:
        raise BadUserInput("input.funding", f"must be one of {', '.join(GOAL_FUNDINGS)}")
    if funding.kind != GOAL_FUNDING_ACCOUNT and funding.account_id is not None:
        raise BadUserInput("input.accountId", "is only for a goal funded by an ACCOUNT")
    if funding.kind != GOAL_FUNDING_CATEGORY and funding.category_id is not None:
        raise BadUserInput("input.categoryId", "is only for a goal funded by a CATEGORY")
    if funding.kind == GOAL_FUNDING_ACCOUNT:
        if funding.account_id is None:
            raise BadUserInput("input.accountId", "is needed for a goal funded by an ACCOUNT")
        account = await account_service.require_account(session, user_id, funding.account_id)
        if account.closed_at is not None:
            raise BadUserInput("input.accountId", "is a closed account")
        if account.currency != goal.currency:
            raise BadUserInput(
                "input.accountId",
                f"is in {account.currency} and the goal in {goal.currency}: fund it with an "
                f"account in {goal.currency}",
            )
    if funding.kind == GOAL_FUNDING_CATEGORY:
        if funding.category_id is None:
            raise BadUserInput("input.categoryId", "is needed for a goal funded by a CATEGORY")
        await category_service.require_category(session, user_id, funding.category_id)
        base = await currency_service.base_currency(session, user_id)
        if goal.currency != base:
            raise BadUserInput(
                currency_field,
                f"must be the base currency ({base}) for a goal funded by a category: its "
                "budgets are",
            )
    goal.funding = funding.kind
    goal.account_id = funding.account_id
    goal.category_id = funding.category_id
    goal.funded_since = day


@dataclass(frozen=True)
class GoalChanges:
    name: str | Keep | None = KEEP
    target_amount: Decimal | Keep | None = KEEP
    target_date: dt.date | Keep | None = KEEP  # None clears it
    funding: str | Keep | None = KEEP
    account_id: uuid.UUID | Keep | None = KEEP
    category_id: uuid.UUID | Keep | None = KEEP


async def update_goal(
    work: UnitOfWork,
    user_id: uuid.UUID,
    goal_id: uuid.UUID,
    changes: GoalChanges,
    *,
    as_of: dt.date | None = None,
) -> GoalReport:
    """Edit a goal; omitted fields stay. A new funding (or a new account or category for it)
    counts from today; contributions are kept whatever the funding, and count again if the
    goal goes back to being funded by them."""
    session = work.session
    day = as_of or today()
    goal = await require_goal(session, user_id, goal_id)
    if not isinstance(changes.name, Keep):
        if changes.name is None:
            raise BadUserInput("input.name", "must not be null")
        goal.name = clean_text(changes.name, "input.name", max_length=MAX_NAME)
    if not isinstance(changes.target_amount, Keep):
        if changes.target_amount is None:
            raise BadUserInput("input.targetAmount", "must not be null")
        goal.target_minor = _target(changes.target_amount, goal.currency).minor
    if not isinstance(changes.target_date, Keep):
        _check_target_date(changes.target_date, day)
        goal.target_date = changes.target_date
    funding = _changed_funding(goal, changes)
    if funding != _funding_of(goal):
        await _fund(session, user_id, goal, funding, day, currency_field="input.funding")
    await session.flush()
    [report] = await goal_reports(session, user_id, [goal], as_of=day)
    return report


def _changed_funding(goal: Goal, changes: GoalChanges) -> Funding:
    """The funding an update asks for: a new kind takes its account or category from the
    update alone; the same kind keeps the one it has unless the update names another."""
    if isinstance(changes.funding, Keep):
        kind = goal.funding
    elif changes.funding is None:
        raise BadUserInput("input.funding", "must not be null")
    else:
        kind = changes.funding
    same = kind == goal.funding
    account_id = changes.account_id
    if isinstance(account_id, Keep):
        account_id = goal.account_id if same else None
    category_id = changes.category_id
    if isinstance(category_id, Keep):
        category_id = goal.category_id if same else None
    return Funding(kind, account_id, category_id)


def _funding_of(goal: Goal) -> Funding:
    return Funding(goal.funding, goal.account_id, goal.category_id)


async def set_paused(
    work: UnitOfWork, user_id: uuid.UUID, goal_id: uuid.UUID, paused: bool, *, as_of: dt.date
) -> GoalReport:
    """Pause or resume a goal (pausing a paused one keeps when it was paused)."""
    goal = await require_goal(work.session, user_id, goal_id)
    if not paused:
        goal.paused_at = None
    elif goal.paused_at is None:
        goal.paused_at = utcnow()
    await work.session.flush()
    [report] = await goal_reports(work.session, user_id, [goal], as_of=as_of)
    return report


async def delete_goal(work: UnitOfWork, user_id: uuid.UUID, goal_id: uuid.UUID) -> None:
    """Delete a goal with its contributions (an account or category funding it stays)."""
    goal = await require_goal(work.session, user_id, goal_id)
    await repository.delete_goal(work.session, goal)


async def require_goal(session: AsyncSession, user_id: uuid.UUID, goal_id: uuid.UUID) -> Goal:
    goal = await repository.goal_for_user(session, user_id, goal_id)
    if goal is None:
        raise NotFound("Goal")
    return goal


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
    goal = await require_goal(session, user_id, goal_id)
    if goal.funding != GOAL_FUNDING_CONTRIBUTIONS:
        raise BadUserInput(
            "input.goalId",
            f"is funded by its {goal.funding}, which is what counts: contributions count "
            "only for a goal funded by CONTRIBUTIONS",
        )
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
    [report] = await goal_reports(session, user_id, [goal], as_of=day)
    return report


# --- reading --------------------------------------------------------------------------------


async def list_goals(
    session: AsyncSession, user_id: uuid.UUID, *, as_of: dt.date | None = None
) -> list[GoalReport]:
    return await goal_reports(
        session, user_id, await repository.goals_for_user(session, user_id), as_of=as_of
    )


async def goal_report(
    session: AsyncSession, user_id: uuid.UUID, goal_id: uuid.UUID, *, as_of: dt.date | None = None
) -> GoalReport:
    """One of the user's goals with its progress; NOT_FOUND for anyone else's."""
    goal = await require_goal(session, user_id, goal_id)
    [report] = await goal_reports(session, user_id, [goal], as_of=as_of)
    return report
