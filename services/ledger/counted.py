"""What budgets and reports count, and by which category.

- A transfer between the user's own accounts is never counted: moving money is neither
  spending nor income (balances and net worth still see both halves).
- A transaction that is not split counts whole, by its own category (the SQL aggregates of
  the budgets' and reports' repositories, with `counted_whole()`).
- A split transaction counts by its parts, each by its own category (`counted_parts`). A part
  of a transaction in another currency counts at its share of the transaction's stored figure
  (conversion.share_figure), so the parts' figures add up exactly to the transaction's.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import ColumnElement, exists, not_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.currencies.conversion import Figures, share_figure
from services.ledger.models import Category, Transaction, TransactionSplit

K = TypeVar("K", bound=Hashable)


def counted_whole() -> list[ColumnElement[bool]]:
    """Conditions on `Transaction` that keep the rows counted whole by their own category:
    neither half of a transfer, nor split."""
    parts = select(TransactionSplit.id).where(TransactionSplit.transaction_id == Transaction.id)
    return [Transaction.transfer_counterpart_id.is_(None), not_(exists(parts))]


@dataclass(frozen=True)
class CountedPart:
    """A part of a split transaction, as totals count it."""

    transaction_id: uuid.UUID
    category_id: uuid.UUID | None
    date: dt.date
    amount_minor: int
    currency: str
    # Its share of the transaction's figure in the base currency (None while it has none).
    converted_minor: int | None
    converted_currency: str | None


async def counted_parts(
    session: AsyncSession,
    user_id: uuid.UUID,
    date_from: dt.date,
    date_to: dt.date,
    *,
    category_ids: Sequence[uuid.UUID] | None = None,
    excluded_kind: str | None = None,
) -> list[CountedPart]:
    """The parts of the user's split transactions dated in the range (never a transfer's), in
    one query: those of `category_ids` if given, without those in a category of `excluded_kind`."""
    statement = (
        select(
            TransactionSplit.transaction_id,
            TransactionSplit.category_id,
            TransactionSplit.amount_minor,
            Transaction.date,
            Transaction.currency,
            Transaction.converted_minor,
            Transaction.converted_currency,
            Transaction.transfer_counterpart_id,
        )
        .join(Transaction, Transaction.id == TransactionSplit.transaction_id)
        .where(
            Transaction.user_id == user_id,
            Transaction.date >= date_from,
            Transaction.date <= date_to,
        )
        .order_by(TransactionSplit.transaction_id, TransactionSplit.position)
    )
    by_transaction: defaultdict[uuid.UUID, list[tuple[uuid.UUID | None, int]]] = defaultdict(list)
    head: dict[uuid.UUID, tuple[dt.date, str, int | None, str | None]] = {}
    for (
        tx_id,
        category_id,
        amount,
        day,
        currency,
        converted,
        converted_currency,
        counterpart_id,
    ) in await session.execute(statement):
        # Never a transfer's half: told here, not in SQL, where SQLite without ANALYZE took
        # `transfer_counterpart_id IS NULL` to its unique index and walked the whole table.
        if counterpart_id is not None:
            continue
        by_transaction[tx_id].append((category_id, amount))
        head[tx_id] = (day, currency, converted, converted_currency)
    excluded = await _categories_of_kind(session, user_id, excluded_kind)
    wanted = set(category_ids) if category_ids is not None else None
    counted = []
    for tx_id, parts in by_transaction.items():
        day, currency, converted, converted_currency = head[tx_id]
        shares: list[int | None] = [None] * len(parts)
        if converted is not None and converted_currency is not None:
            shares = list(share_figure(converted, [amount for _, amount in parts]))
        for (category_id, amount), share in zip(parts, shares, strict=True):
            if category_id in excluded or (wanted is not None and category_id not in wanted):
                continue
            counted.append(
                CountedPart(
                    transaction_id=tx_id,
                    category_id=category_id,
                    date=day,
                    amount_minor=amount,
                    currency=currency,
                    converted_minor=share,
                    converted_currency=converted_currency if share is not None else None,
                )
            )
    return counted


async def _categories_of_kind(
    session: AsyncSession, user_id: uuid.UUID, kind: str | None
) -> set[uuid.UUID | None]:
    if kind is None:
        return set()
    found = await session.scalars(
        select(Category.id).where(Category.user_id == user_id, Category.kind == kind)
    )
    return set(found)


def figures_by(
    parts: Sequence[CountedPart], key: Callable[[CountedPart], K]
) -> list[tuple[K, Figures]]:
    """Parts summed into `Figures` per key and currency, as the SQL aggregates sum whole
    transactions (a transaction counts once per key, however many of its parts it has)."""
    groups: defaultdict[tuple[K, str, str | None], list[CountedPart]] = defaultdict(list)
    for part in parts:
        groups[(key(part), part.currency, part.converted_currency)].append(part)
    summed = []
    for (group_key, currency, converted_currency), members in groups.items():
        dates = [part.date for part in members]
        summed.append(
            (
                group_key,
                Figures(
                    currency=currency,
                    converted_currency=converted_currency,
                    amount_minor=sum(part.amount_minor for part in members),
                    converted_minor=sum(part.converted_minor or 0 for part in members),
                    count=len({part.transaction_id for part in members}),
                    first_date=min(dates),
                    last_date=max(dates),
                ),
            )
        )
    return summed
