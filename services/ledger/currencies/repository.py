"""Queries of base currencies, exchange rates and the transactions converted at them, each
scoped by the owning user."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Mapping

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from services.ledger.models import ExchangeRate, LedgerSettings, Transaction
from shared.pagination import Keyset, after_keyset


async def settings_for(session: AsyncSession, user_id: uuid.UUID) -> LedgerSettings | None:
    return await session.get(LedgerSettings, user_id)


async def rate_for_user(
    session: AsyncSession, user_id: uuid.UUID, rate_id: uuid.UUID
) -> ExchangeRate | None:
    return await session.scalar(
        select(ExchangeRate).where(ExchangeRate.user_id == user_id, ExchangeRate.id == rate_id)
    )


async def rates_on_dates(
    session: AsyncSession,
    user_id: uuid.UUID,
    quote_currency: str,
    currencies: Collection[str],
    date_from: dt.date,
    date_to: dt.date,
) -> list[ExchangeRate]:
    """The user's rates of these currencies into the quote currency dated in the range."""
    return list(
        await session.scalars(
            select(ExchangeRate).where(
                ExchangeRate.user_id == user_id,
                ExchangeRate.quote_currency == quote_currency,
                ExchangeRate.currency.in_(sorted(currencies)),
                ExchangeRate.date >= date_from,
                ExchangeRate.date <= date_to,
            )
        )
    )


async def rates_in_force(
    session: AsyncSession,
    user_id: uuid.UUID,
    quote_currency: str,
    currencies: Collection[str],
    date_from: dt.date,
    date_to: dt.date,
) -> list[ExchangeRate]:
    """Every rate of these currencies into the quote currency that is in force on some day of
    the range: the latest on or before `date_from` (per currency), and those dated in it.
    One query, whatever the number of currencies."""
    earlier = aliased(ExchangeRate)
    in_force_at_start = (
        select(func.max(earlier.date))
        .where(
            earlier.user_id == user_id,
            earlier.quote_currency == quote_currency,
            earlier.currency == ExchangeRate.currency,
            earlier.date <= date_from,
        )
        .scalar_subquery()
    )
    return list(
        await session.scalars(
            select(ExchangeRate).where(
                ExchangeRate.user_id == user_id,
                ExchangeRate.quote_currency == quote_currency,
                ExchangeRate.currency.in_(sorted(currencies)),
                ExchangeRate.date <= date_to,
                ExchangeRate.date >= func.coalesce(in_force_at_start, date_from),
            )
        )
    )


async def rate_page(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    currency: str | None,
    after: Keyset[dt.date] | None,
    limit: int,
) -> list[ExchangeRate]:
    """Newest first (date desc, then id desc), starting after the keyset `after`."""
    statement = select(ExchangeRate).where(ExchangeRate.user_id == user_id)
    if currency is not None:
        statement = statement.where(ExchangeRate.currency == currency)
    if after is not None:
        statement = statement.where(after_keyset(ExchangeRate.date, ExchangeRate.id, after))
    statement = statement.order_by(ExchangeRate.date.desc(), ExchangeRate.id.desc()).limit(limit)
    return list(await session.scalars(statement))


async def unconverted_transactions(
    session: AsyncSession, user_id: uuid.UUID, since: Mapping[str, dt.date]
) -> list[Transaction]:
    """The user's transactions of these currencies, dated on or after the currency's date,
    that have no converted figure."""
    if not since:
        return []
    return list(
        await session.scalars(
            select(Transaction).where(
                Transaction.user_id == user_id,
                Transaction.converted_minor.is_(None),
                or_(
                    *(
                        and_(Transaction.currency == currency, Transaction.date >= day)
                        for currency, day in sorted(since.items())
                    )
                ),
            )
        )
    )


async def transactions_not_in(
    session: AsyncSession, user_id: uuid.UUID, currency: str
) -> list[Transaction]:
    """Every transaction of the user in another currency than `currency`."""
    return list(
        await session.scalars(
            select(Transaction).where(
                Transaction.user_id == user_id, Transaction.currency != currency
            )
        )
    )


async def forget_conversions_of(
    session: AsyncSession, user_id: uuid.UUID, currency: str
) -> list[tuple[uuid.UUID, dt.date]]:
    """Clear the converted figures of the user's transactions in `currency` (which count at
    their own amount in it); (id, date) of those that had one."""
    cleared = await session.execute(
        update(Transaction)
        .where(
            Transaction.user_id == user_id,
            Transaction.currency == currency,
            Transaction.converted_minor.is_not(None),
        )
        .values(
            converted_minor=None,
            converted_currency=None,
            conversion_rate=None,
            conversion_rate_date=None,
        )
        .returning(Transaction.id, Transaction.date)
        .execution_options(synchronize_session=False)
    )
    return [(row_id, day) for row_id, day in cleared]


async def waiting_sums(
    session: AsyncSession,
    user_id: uuid.UUID,
    base_currency: str,
    date_from: dt.date | None,
    date_to: dt.date | None,
) -> list[tuple[str, int, int, dt.date, dt.date]]:
    """(currency, count, net amount, first date, last date) of the user's transactions that
    no total in the base currency counts: in another currency, without a figure in it."""
    statement = select(
        Transaction.currency,
        func.count(),
        func.sum(Transaction.amount_minor),
        func.min(Transaction.date),
        func.max(Transaction.date),
    ).where(
        Transaction.user_id == user_id,
        Transaction.currency != base_currency,
        or_(
            Transaction.converted_currency.is_(None),
            Transaction.converted_currency != base_currency,
        ),
    )
    if date_from is not None:
        statement = statement.where(Transaction.date >= date_from)
    if date_to is not None:
        statement = statement.where(Transaction.date <= date_to)
    rows = await session.execute(statement.group_by(Transaction.currency))
    return [
        (currency, int(count), int(total), first, last)
        for currency, count, total, first, last in rows
    ]
