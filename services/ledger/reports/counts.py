"""Counting a user's transactions from the stored totals (the transaction list's
`totalCount` of a filter that says no more than accounts, dates and categories): whole months
from the stored counts, a partial first or last month row by row over its days, a split
transaction once from its parts. None where the totals cannot answer (not built)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.models import ReportTotal, Transaction, TransactionSplit
from services.ledger.reports.totals import cut_at_months, is_built, month_end


async def count_transactions(
    session: AsyncSession,
    user_id: uuid.UUID,
    account_ids: Sequence[uuid.UUID] | None,
    date_from: dt.date | None,
    date_to: dt.date | None,
    *,
    category_ids: Sequence[uuid.UUID] | None = None,
    in_categories: ColumnElement[bool] | None = None,
) -> int | None:
    """How many of the user's transactions (in `account_ids`, and in `category_ids` by the
    filter language's meaning, which `in_categories` says of a row: a split one by its parts;
    None: all) are dated between the dates (None: open), from the stored totals: whole months
    summed, a partial first or last month counted row by row (through the user/date index).
    None while the user's totals are not built.

    A month's stored counts count a split transaction once per category of its parts (that is
    what a report by category wants); the parts of the user's split transactions (few, and
    indexed by user) say by how much that overcounts."""
    if not await is_built(session, user_id):
        return None
    cut = cut_at_months(date_from, date_to)
    count = 0
    if cut.has_whole_months:
        count += await _stored_count(
            session, user_id, account_ids, category_ids, cut.first_month, cut.last_month
        )
    if cut.edges:
        in_edges = or_(*(Transaction.date.between(low, high) for low, high in cut.edges))
        scope = [Transaction.user_id == user_id, *_in_accounts(Transaction, account_ids)]
        if in_categories is not None:
            scope.append(in_categories)
        count += await session.scalar(select(func.count()).where(*scope, in_edges)) or 0
    return count


def _in_accounts(table: Any, account_ids: Sequence[uuid.UUID] | None) -> list[Any]:
    return [] if account_ids is None else [table.account_id.in_(list(account_ids))]


async def _stored_count(
    session: AsyncSession,
    user_id: uuid.UUID,
    account_ids: Sequence[uuid.UUID] | None,
    category_ids: Sequence[uuid.UUID] | None,
    first_month: dt.date | None,
    last_month: dt.date | None,
) -> int:
    months, days = [], []
    stored_categories, part_categories = [], []
    if category_ids is not None:
        stored_categories.append(ReportTotal.category_id.in_(list(category_ids)))
        part_categories.append(TransactionSplit.category_id.in_(list(category_ids)))
    if first_month is not None:
        months.append(ReportTotal.month >= first_month)
        days.append(Transaction.date >= first_month)
    if last_month is not None:
        months.append(ReportTotal.month <= last_month)
        days.append(Transaction.date <= month_end(last_month))
    stored = await session.scalar(
        select(func.coalesce(func.sum(ReportTotal.transaction_count), 0)).where(
            ReportTotal.user_id == user_id,
            *months,
            *_in_accounts(ReportTotal, account_ids),
            *stored_categories,
        )
    )
    # Each split transaction (not a transfer: that counts whole) once per category of its
    # parts (among those asked for) in the stored counts, where it should count once.
    pairs = (
        select(TransactionSplit.transaction_id, TransactionSplit.category_id)
        .join(Transaction, Transaction.id == TransactionSplit.transaction_id)
        .where(
            TransactionSplit.user_id == user_id,
            Transaction.transfer_counterpart_id.is_(None),
            *days,
            *_in_accounts(Transaction, account_ids),
            *part_categories,
        )
        .distinct()
        .subquery()
    )
    found = (
        await session.execute(
            select(func.count(), func.count(func.distinct(pairs.c.transaction_id)))
        )
    ).one()
    return int(stored or 0) - int(found[0]) + int(found[1])
