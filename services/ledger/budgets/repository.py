"""Queries of budgets, the category spending they are measured against (by day, or summed
per month over a whole history), and the user's budgeting style."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import extract, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.currencies.conversion import Figures, figure_columns
from services.ledger.models import Budget, Category, LedgerSettings, Transaction


async def sums_by_category_and_day(
    session: AsyncSession,
    user_id: uuid.UUID,
    date_from: dt.date,
    date_to: dt.date,
    category_ids: Sequence[uuid.UUID] | None = None,
) -> list[tuple[uuid.UUID, dt.date, Figures]]:
    """(category, day, figures per currency) of the user's categorized transactions."""
    statement = select(Transaction.category_id, Transaction.date, *figure_columns()).where(
        Transaction.user_id == user_id,
        Transaction.category_id.is_not(None),
        Transaction.date >= date_from,
        Transaction.date <= date_to,
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
    return [(row[0], row[1], Figures.of(row)) for row in rows if row[0] is not None]


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


async def monthly_sums(
    session: AsyncSession,
    user_id: uuid.UUID,
    date_from: dt.date | None,
    date_to: dt.date,
) -> list[tuple[uuid.UUID | None, int, int, Figures]]:
    """(category or None, year, month, figures per currency) of the user's transactions up to
    `date_to` (from `date_from`, when given): one row per category, month and currency, however
    long the history."""
    year = extract("year", Transaction.date)
    month = extract("month", Transaction.date)
    statement = select(Transaction.category_id, year, month, *figure_columns()).where(
        Transaction.user_id == user_id, Transaction.date <= date_to
    )
    if date_from is not None:
        statement = statement.where(Transaction.date >= date_from)
    rows = await session.execute(
        statement.group_by(
            Transaction.category_id,
            year,
            month,
            Transaction.currency,
            Transaction.converted_currency,
        )
    )
    return [(row[0], int(row[1]), int(row[2]), Figures.of(row)) for row in rows]


async def budgets_through(session: AsyncSession, user_id: uuid.UUID, month: str) -> list[Budget]:
    """The user's budgets of every month up to `month` ("YYYY-MM" sorts as text)."""
    result = await session.scalars(
        select(Budget).where(Budget.user_id == user_id, Budget.month <= month)
    )
    return list(result)


async def budgets_in_month(session: AsyncSession, user_id: uuid.UUID, month: str) -> list[Budget]:
    result = await session.scalars(
        select(Budget).where(Budget.user_id == user_id, Budget.month == month)
    )
    return list(result)


async def settings_for(session: AsyncSession, user_id: uuid.UUID) -> LedgerSettings | None:
    return await session.scalar(select(LedgerSettings).where(LedgerSettings.user_id == user_id))
