"""Every query of the ledger. Each one is scoped by the owning user (or by a linked item the
caller already scoped), so another user's rows can never leak through a forgotten filter.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.models import (
    Budget,
    Category,
    Goal,
    GoalContribution,
    Transaction,
)
from shared.sql import rows_in_chunks


async def sums_by_category_and_day(
    session: AsyncSession,
    user_id: uuid.UUID,
    date_from: dt.date,
    date_to: dt.date,
    category_ids: Sequence[uuid.UUID] | None = None,
) -> list[tuple[uuid.UUID, str, dt.date, int]]:
    """(category, currency, day, net amount) of the user's categorized transactions."""
    statement = select(
        Transaction.category_id,
        Transaction.currency,
        Transaction.date,
        func.sum(Transaction.amount_minor),
    ).where(
        Transaction.user_id == user_id,
        Transaction.category_id.is_not(None),
        Transaction.date >= date_from,
        Transaction.date <= date_to,
    )
    if category_ids is not None:
        statement = statement.where(Transaction.category_id.in_(category_ids))
    statement = statement.group_by(Transaction.category_id, Transaction.currency, Transaction.date)
    rows = await session.execute(statement)
    return [
        (category, currency, day, int(total))
        for category, currency, day, total in rows
        if category is not None
    ]


async def sums_by_category(
    session: AsyncSession, user_id: uuid.UUID, date_from: dt.date, date_to: dt.date
) -> list[tuple[uuid.UUID, str, int]]:
    """(category, currency, net amount) of the user's categorized transactions in the range."""
    rows = await session.execute(
        select(Transaction.category_id, Transaction.currency, func.sum(Transaction.amount_minor))
        .where(
            Transaction.user_id == user_id,
            Transaction.category_id.is_not(None),
            Transaction.date >= date_from,
            Transaction.date <= date_to,
        )
        .group_by(Transaction.category_id, Transaction.currency)
    )
    return [
        (category, currency, int(total))
        for category, currency, total in rows
        if category is not None
    ]


async def daily_flows(
    session: AsyncSession,
    user_id: uuid.UUID,
    currency: str,
    date_from: dt.date,
    date_to: dt.date,
    *,
    excluded_group: str | None = None,
) -> list[tuple[dt.date, int, int]]:
    """(day, money in, money out as a negative sum) of the user's transactions in a currency,
    leaving out those whose category is in `excluded_group`."""
    money_in = func.sum(case((Transaction.amount_minor > 0, Transaction.amount_minor), else_=0))
    money_out = func.sum(case((Transaction.amount_minor < 0, Transaction.amount_minor), else_=0))
    statement = select(Transaction.date, money_in, money_out).where(
        Transaction.user_id == user_id,
        Transaction.currency == currency,
        Transaction.date >= date_from,
        Transaction.date <= date_to,
    )
    if excluded_group is not None:
        excluded = select(Category.id).where(
            Category.user_id == user_id, Category.group == excluded_group
        )
        statement = statement.where(
            or_(Transaction.category_id.is_(None), Transaction.category_id.not_in(excluded))
        )
    rows = await session.execute(statement.group_by(Transaction.date))
    return [(day, int(total_in), int(total_out)) for day, total_in, total_out in rows]


async def sum_before(
    session: AsyncSession, user_id: uuid.UUID, currency: str, before: dt.date
) -> int:
    """Net of the user's transactions in a currency dated before `before`."""
    total = await session.scalar(
        select(func.coalesce(func.sum(Transaction.amount_minor), 0)).where(
            Transaction.user_id == user_id,
            Transaction.currency == currency,
            Transaction.date < before,
        )
    )
    return int(total or 0)


# --- budgets ------------------------------------------------------------------------------


async def budget_for(
    session: AsyncSession, user_id: uuid.UUID, category_id: uuid.UUID, month: str
) -> Budget | None:
    return await session.scalar(
        select(Budget).where(
            Budget.user_id == user_id, Budget.category_id == category_id, Budget.month == month
        )
    )


async def budgets_in_months(
    session: AsyncSession, user_id: uuid.UUID, months: Sequence[str]
) -> list[tuple[Budget, str]]:
    """The user's budgets in these months with their category's name, by month then name."""
    rows = await session.execute(
        select(Budget, Category.name)
        .join(Category, Category.id == Budget.category_id)
        .where(Budget.user_id == user_id, Budget.month.in_(months))
        .order_by(Budget.month, Category.name)
    )
    return [(budget, name) for budget, name in rows]


# --- goals --------------------------------------------------------------------------------


async def goals_for_user(session: AsyncSession, user_id: uuid.UUID) -> list[Goal]:
    result = await session.scalars(
        select(Goal).where(Goal.user_id == user_id).order_by(Goal.created_at, Goal.id)
    )
    return list(result)


async def goal_for_user(
    session: AsyncSession, user_id: uuid.UUID, goal_id: uuid.UUID
) -> Goal | None:
    return await session.scalar(select(Goal).where(Goal.user_id == user_id, Goal.id == goal_id))


@dataclass(frozen=True)
class ContributionTotals:
    saved_minor: int
    first_on: dt.date | None


async def contribution_totals(
    session: AsyncSession, goals: Sequence[Goal]
) -> dict[uuid.UUID, ContributionTotals]:
    """Sum and first date of each goal's contributions (goals already scoped to the user)."""
    rows = await rows_in_chunks(
        session,
        [goal.id for goal in goals],
        lambda chunk: (
            select(
                GoalContribution.goal_id,
                func.sum(GoalContribution.amount_minor),
                func.min(GoalContribution.contributed_on),
            )
            .where(GoalContribution.goal_id.in_(chunk))
            .group_by(GoalContribution.goal_id)
        ),
    )
    return {goal_id: ContributionTotals(int(saved), first_on) for goal_id, saved, first_on in rows}
