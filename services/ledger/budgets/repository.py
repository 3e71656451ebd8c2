"""Queries of budgets, the category spending they are measured against (by day, per month from
the stored report totals, or summed per month over a whole history), and the user's budgeting
style."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import extract, func, literal, not_, null, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.counted import counted_parts, counted_whole, figures_by
from services.ledger.currencies.conversion import Figures, figure_columns
from services.ledger.models import (
    Budget,
    Category,
    LedgerSettings,
    ReportCategoryTotal,
    ReportTotalsBuilt,
    Transaction,
)
from services.ledger.periods import EARLIEST_DATE


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


async def stored_spending(
    session: AsyncSession,
    user_id: uuid.UUID,
    first_month: dt.date,
    last_month: dt.date,
    category_ids: Sequence[uuid.UUID],
) -> list[tuple[uuid.UUID, dt.date, Figures]] | None:
    """(category, month's first day, figures per currency) of what the user spent and got back
    in these categories over whole months, from the stored report totals by category (reports
    read them too; totals_upkeep.py keeps them equal to the transactions at every commit):
    what `sums_by_category_and_day` sums from the transactions, a few rows a month. None while
    the user's totals are not built. One statement, the built check included."""
    grouped = [
        ReportCategoryTotal.category_id,
        ReportCategoryTotal.month,
        ReportCategoryTotal.currency,
        ReportCategoryTotal.converted_currency,
    ]
    sums = (
        select(
            *grouped,
            func.sum(ReportCategoryTotal.amount_minor),
            func.sum(ReportCategoryTotal.converted_minor),
            func.sum(ReportCategoryTotal.transaction_count),
            func.min(ReportCategoryTotal.first_date),
            func.max(ReportCategoryTotal.last_date),
        )
        .where(
            ReportCategoryTotal.user_id == user_id,
            ReportCategoryTotal.month >= first_month,
            ReportCategoryTotal.month <= last_month,
            # Split transactions are stored by their parts; transfers are flagged, never spent.
            not_(ReportCategoryTotal.transfer),
            ReportCategoryTotal.category_id.in_(list(category_ids)),
        )
        .group_by(*grouped)
    )
    # A row without a category when the user's totals are built (every other row has one).
    built = select(
        null(), null(), null(), null(), literal(0), literal(0), literal(0), null(), null()
    ).where(ReportTotalsBuilt.user_id == user_id)
    result: Any = await session.execute(union_all(sums, built))
    found = [(row[0], row[1], Figures.of(row)) for row in result]
    if not any(category_id is None for category_id, _, _ in found):
        return None
    return [(category_id, month, figures) for category_id, month, figures in found if category_id]


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
) -> list[tuple[Budget, Category]]:
    """The user's budgets in these months with their category, by month then category name."""
    rows = await session.execute(
        select(Budget, Category)
        .join(Category, Category.id == Budget.category_id)
        .where(Budget.user_id == user_id, Budget.month.in_(months))
        .order_by(Budget.month, Category.name)
    )
    return [(budget, category) for budget, category in rows]


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
    long the history (split ones by their parts, never a transfer; a category and month may
    come twice, whole transactions and parts)."""
    year = extract("year", Transaction.date)
    month = extract("month", Transaction.date)
    statement = select(Transaction.category_id, year, month, *figure_columns()).where(
        Transaction.user_id == user_id, Transaction.date <= date_to, *counted_whole()
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
    whole = [(row[0], int(row[1]), int(row[2]), Figures.of(row)) for row in rows]
    parts = await counted_parts(session, user_id, date_from or EARLIEST_DATE, date_to)
    by_part = figures_by(parts, lambda part: (part.category_id, part.date.year, part.date.month))
    return whole + [(category, y, m, figures) for (category, y, m), figures in by_part]


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
