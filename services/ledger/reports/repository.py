"""Queries behind the reports: sums of the user's transactions by category, by day, and
before a date."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, literal_column, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.currencies.conversion import Figures, figure_columns
from services.ledger.models import Category, Transaction


async def sums_by_category(
    session: AsyncSession, user_id: uuid.UUID, date_from: dt.date, date_to: dt.date
) -> list[tuple[uuid.UUID, Figures]]:
    """(category, figures per currency) of the user's categorized transactions in the range."""
    rows = await session.execute(
        select(Transaction.category_id, *figure_columns())
        .where(
            Transaction.user_id == user_id,
            Transaction.category_id.is_not(None),
            Transaction.date >= date_from,
            Transaction.date <= date_to,
        )
        .group_by(Transaction.category_id, Transaction.currency, Transaction.converted_currency)
    )
    return [(row[0], Figures.of(row)) for row in rows if row[0] is not None]


async def daily_flows(
    session: AsyncSession,
    user_id: uuid.UUID,
    date_from: dt.date,
    date_to: dt.date,
    *,
    excluded_kind: str | None = None,
) -> list[tuple[dt.date, bool, Figures]]:
    """(day, whether money in, figures per currency) of the user's transactions, leaving out
    those whose category is of `excluded_kind`."""
    # A literal, not a bound parameter: PostgreSQL must see the GROUP BY expression as the
    # selected one, and two parameters ($1, $2) would be two expressions to it.
    money_in = (Transaction.amount_minor > literal_column("0")).label("money_in")
    statement = select(Transaction.date, money_in, *figure_columns()).where(
        Transaction.user_id == user_id,
        Transaction.date >= date_from,
        Transaction.date <= date_to,
    )
    if excluded_kind is not None:
        excluded = select(Category.id).where(
            Category.user_id == user_id, Category.kind == excluded_kind
        )
        statement = statement.where(
            or_(Transaction.category_id.is_(None), Transaction.category_id.not_in(excluded))
        )
    rows = await session.execute(
        statement.group_by(
            Transaction.date, money_in, Transaction.currency, Transaction.converted_currency
        )
    )
    return [(row[0], bool(row[1]), Figures.of(row)) for row in rows]


async def daily_sums_by_currency(
    session: AsyncSession, user_id: uuid.UUID, date_from: dt.date, date_to: dt.date
) -> list[tuple[dt.date, str, int]]:
    """(day, currency, net) of the user's transactions in the range, in their own currency."""
    rows = await session.execute(
        select(Transaction.date, Transaction.currency, func.sum(Transaction.amount_minor))
        .where(
            Transaction.user_id == user_id,
            Transaction.date >= date_from,
            Transaction.date <= date_to,
        )
        .group_by(Transaction.date, Transaction.currency)
    )
    return [(day, currency, int(total)) for day, currency, total in rows]


async def sums_before_by_currency(
    session: AsyncSession, user_id: uuid.UUID, before: dt.date
) -> dict[str, int]:
    """Net of the user's transactions dated before `before`, per currency."""
    rows = await session.execute(
        select(Transaction.currency, func.sum(Transaction.amount_minor))
        .where(Transaction.user_id == user_id, Transaction.date < before)
        .group_by(Transaction.currency)
    )
    return {currency: int(total) for currency, total in rows}
