"""Queries of budgets, and the category spending they are measured against."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.counted import counted_parts, counted_whole, figures_by
from services.ledger.currencies.conversion import Figures, figure_columns
from services.ledger.models import Budget, Category, Transaction


async def sums_by_category_and_day(
    session: AsyncSession,
    user_id: uuid.UUID,
    date_from: dt.date,
    date_to: dt.date,
    category_ids: Sequence[uuid.UUID] | None = None,
) -> list[tuple[uuid.UUID, dt.date, Figures]]:
    """(category, day, figures per currency) of what the user spent and got back in each
    category: their categorized transactions and split parts, never a transfer."""
    statement = select(Transaction.category_id, Transaction.date, *figure_columns()).where(
        Transaction.user_id == user_id,
        Transaction.category_id.is_not(None),
        Transaction.date >= date_from,
        Transaction.date <= date_to,
        *counted_whole(),
    )
    if category_ids is not None:
        statement = statement.where(Transaction.category_id.in_(category_ids))
    statement = statement.group_by(
        Transaction.category_id,
        Transaction.date,
        Transaction.currency,
        Transaction.converted_currency,
    )
    rows = await session.execute(statement)
    whole = [(row[0], row[1], Figures.of(row)) for row in rows if row[0] is not None]
    parts = await counted_parts(session, user_id, date_from, date_to, category_ids=category_ids)
    by_part = figures_by(
        [part for part in parts if part.category_id is not None],
        lambda part: (part.category_id, part.date),
    )
    return whole + [
        (category_id, day, figures) for (category_id, day), figures in by_part if category_id
    ]


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


async def budget_for_user(
    session: AsyncSession, user_id: uuid.UUID, budget_id: uuid.UUID
) -> Budget | None:
    return await session.scalar(
        select(Budget).where(Budget.user_id == user_id, Budget.id == budget_id)
    )
