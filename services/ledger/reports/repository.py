"""Queries behind the reports: sums of the user's transactions by category, by day, and
before a date."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.models import Category, Transaction


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
