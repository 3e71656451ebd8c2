"""Queries of goals and their contributions, scoped by the owning user."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.models import Goal, GoalContribution
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
