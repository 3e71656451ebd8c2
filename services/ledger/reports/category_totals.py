"""Keeping the report totals by category (`ledger_report_category_totals`): the stored
report totals of a user's months summed over accounts and payees, derived again whole for
every month whose stored totals change (totals_upkeep.py calls `roll_up` at the end of each
change, inside the same unit of work)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.models import ReportCategoryTotal, ReportTotal

# What the totals by category are told apart by (each key one row there).
_CATEGORY_KEY = ("month", "category_id", "transfer", "money_in", "currency", "converted_currency")


async def roll_up(
    session: AsyncSession, user_id: uuid.UUID, months: Sequence[dt.date] | None
) -> None:
    """Derive the user's totals by category (`ledger_report_category_totals`) of these months
    (None: all) from the stored totals anew: the months' rows are replaced whole, so they are
    always the stored totals summed over accounts and payees. Call after every change to
    the stored totals of those months."""
    if months is not None and not months:
        return
    derived = cast(Table, ReportCategoryTotal.__table__)
    stored = cast(Table, ReportTotal.__table__)
    in_months = [derived.c.user_id == user_id]
    of_months = [stored.c.user_id == user_id]
    if months is not None:
        in_months.append(derived.c.month.in_(months))
        of_months.append(stored.c.month.in_(months))
    await session.execute(delete(derived).where(*in_months))
    key = [stored.c[name] for name in _CATEGORY_KEY]
    # A new id for each row, made by the database: PostgreSQL's uuid; on SQLite the Uuid
    # column holds 32 hex digits.
    new_id: Any = (
        func.gen_random_uuid()
        if session.get_bind().dialect.name == "postgresql"
        else func.lower(func.hex(func.randomblob(16)))
    )
    sums = (
        select(
            new_id,
            stored.c.user_id,
            *key,
            func.sum(stored.c.amount_minor),
            func.sum(stored.c.converted_minor),
            func.sum(stored.c.transaction_count),
            func.min(stored.c.first_date),
            func.max(stored.c.last_date),
        )
        .where(*of_months)
        .group_by(stored.c.user_id, *key)
    )
    columns = ["id", "user_id", *_CATEGORY_KEY, "amount_minor", "converted_minor"]
    columns += ["transaction_count", "first_date", "last_date"]
    await session.execute(insert(derived).from_select(columns, sums))
