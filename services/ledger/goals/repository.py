"""Queries of goals and their contributions, scoped by the owning user, and of what funds
them: an account's recent change, a category's budgets and transactions."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, case, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger import rows
from services.ledger.currencies.conversion import Figures, figure_columns
from services.ledger.models import Budget, Goal, GoalContribution, Transaction
from shared.sql import rows_in_chunks


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


async def delete_goal(session: AsyncSession, goal: Goal) -> None:
    """The goal and its contributions."""
    await session.execute(delete(GoalContribution).where(GoalContribution.goal_id == goal.id))
    await rows.delete(session, [goal])


@dataclass(frozen=True)
class AccountChange:
    """How an account's transactions moved its balance recently: their net since `since`
    (exclusive) up to a day, and the date of its first transaction ever."""

    net_minor: int
    first_on: dt.date


async def account_changes(
    session: AsyncSession,
    user_id: uuid.UUID,
    account_ids: Sequence[uuid.UUID],
    since: dt.date,
    until: dt.date,
) -> dict[uuid.UUID, AccountChange]:
    in_window = and_(Transaction.date > since, Transaction.date <= until)
    found = await rows_in_chunks(
        session,
        account_ids,
        lambda chunk: (
            select(
                Transaction.account_id,
                func.coalesce(func.sum(case((in_window, Transaction.amount_minor), else_=0)), 0),
                func.min(Transaction.date),
            )
            .where(Transaction.user_id == user_id, Transaction.account_id.in_(chunk))
            .group_by(Transaction.account_id)
        ),
    )
    return {account_id: AccountChange(int(net), first_on) for account_id, net, first_on in found}


async def category_budgets(
    session: AsyncSession,
    user_id: uuid.UUID,
    category_ids: Sequence[uuid.UUID],
    first_month: str,
    last_month: str,
) -> list[Budget]:
    """The user's budgets of these categories in the months first_month..last_month."""
    found = await session.scalars(
        select(Budget).where(
            Budget.user_id == user_id,
            Budget.category_id.in_(category_ids),
            Budget.month >= first_month,
            Budget.month <= last_month,
        )
    )
    return list(found)


async def category_daily_figures(
    session: AsyncSession,
    user_id: uuid.UUID,
    category_ids: Sequence[uuid.UUID],
    date_from: dt.date,
    date_to: dt.date,
) -> list[tuple[uuid.UUID, dt.date, Figures]]:
    """(category, day, figures per currency) of the user's transactions in these categories."""
    found = await session.execute(
        select(Transaction.category_id, Transaction.date, *figure_columns())
        .where(
            Transaction.user_id == user_id,
            Transaction.category_id.in_(category_ids),
            Transaction.date >= date_from,
            Transaction.date <= date_to,
        )
        .group_by(
            Transaction.category_id,
            Transaction.date,
            Transaction.currency,
            Transaction.converted_currency,
        )
    )
    return [(row[0], row[1], Figures.of(row)) for row in found if row[0] is not None]
