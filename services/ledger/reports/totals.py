"""Reading the report totals: each user's monthly flows (repository.py, per account, category
and payee) stored in `ledger_report_totals` (kept equal to the transactions by
totals_upkeep.py), so that a report over years reads a few rows per month instead of every
transaction. A range's partial first or last month is read from its transactions
(`cut_at_months` says which days those are), and so is everything of a user whose totals
were never built (same answers, the old speed).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    bindparam,
    case,
    exists,
    func,
    literal,
    not_,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.accounts import service as account_service
from services.ledger.categories import service as category_service
from services.ledger.currencies.conversion import Figures
from services.ledger.currencies.service import DEFAULT_BASE_CURRENCY
from services.ledger.models import (
    Category,
    LedgerSettings,
    ReportCategoryTotal,
    ReportTotal,
    ReportTotalsBuilt,
)
from services.ledger.periods import Month
from services.ledger.reports.repository import Dimension, Flow, flows_of_transactions
from shared.db import RowQuery

_BY_CATEGORY = frozenset({Dimension.CATEGORY})


async def is_built(session: AsyncSession, user_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(ReportTotalsBuilt.user_id).where(ReportTotalsBuilt.user_id == user_id)
    )
    return found is not None


@dataclass(frozen=True)
class Basis:
    """What every report starts from: the user's base currency, and whether their totals are
    built (whether whole months can be read from them)."""

    base: str
    built: bool


_BASE = (
    select(LedgerSettings.base_currency)
    .where(LedgerSettings.user_id == bindparam("user_id"))
    .scalar_subquery()
)
_BUILT = exists().where(ReportTotalsBuilt.user_id == bindparam("user_id"))
_BASIS = RowQuery(select(_BASE, _BUILT))
_BASIS_AND_CATEGORIES = category_service.CategoriesToRead(_BASE, _BUILT)


async def basis(session: AsyncSession, user_id: uuid.UUID) -> Basis:
    """The user's Basis, in one statement (the base currency as currency_service tells it)."""
    [(base, built)] = await _BASIS.all(session, user_id=user_id)
    return Basis(base or DEFAULT_BASE_CURRENCY, bool(built))


async def basis_and_categories(
    session: AsyncSession, user_id: uuid.UUID
) -> tuple[Basis, list[Category]]:
    """The user's Basis and categories (copies only to look at), in one statement."""
    categories, (base, built) = await _BASIS_AND_CATEGORIES.read(session, user_id)
    return Basis(base or DEFAULT_BASE_CURRENCY, bool(built)), categories


_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class MonthCut:
    """A range of days cut where the stored totals can answer it: the whole calendar months
    within it, from `first_month` to `last_month` (first days; None: the range is open on
    that side), and `edges`, the range's days outside them (a partial first or last month,
    or the whole range when it holds no whole month), which only transactions can answer."""

    first_month: dt.date | None
    last_month: dt.date | None
    edges: tuple[tuple[dt.date, dt.date], ...]

    @property
    def has_whole_months(self) -> bool:
        return (
            self.first_month is None
            or self.last_month is None
            or self.first_month <= self.last_month
        )


def cut_at_months(date_from: dt.date | None, date_to: dt.date | None) -> MonthCut:
    """The one place that knows where a range's whole months begin and end (None: open)."""
    first = date_from
    if date_from is not None and date_from.day != 1:
        first = month_end(date_from) + _DAY
    last = date_to.replace(day=1) if date_to is not None else None
    if date_to is not None and date_to != month_end(date_to):
        last = (date_to.replace(day=1) - _DAY).replace(day=1)
    if first is not None and last is not None and first > last:
        assert date_from is not None and date_to is not None
        return MonthCut(first, last, ((date_from, date_to),))
    edges = []
    if date_from is not None and first is not None and date_from < first:
        edges.append((date_from, first - _DAY))
    if date_to is not None and last is not None and date_to > month_end(last):
        edges.append((month_end(last) + _DAY, date_to))
    return MonthCut(first, last, tuple(edges))


def month_end(day: dt.date) -> dt.date:
    return Month(day.year, day.month).last_day


async def stored_flows(
    session: AsyncSession,
    user_id: uuid.UUID,
    first_month: dt.date,
    last_month: dt.date,
    dimensions: frozenset[Dimension],
) -> list[Flow]:
    """The stored monthly flows of the user from `first_month` to `last_month` (first days),
    summed over what `dimensions` leaves out: one indexed query (of the totals by category
    when they hold all it needs)."""
    table: Any = ReportCategoryTotal if dimensions <= _BY_CATEGORY else ReportTotal
    keys: list[Any] = [
        getattr(table, name)
        for dimension, name in (
            (Dimension.ACCOUNT, "account_id"),
            (Dimension.CATEGORY, "category_id"),
            (Dimension.PAYEE, "payee_id"),
        )
        if dimension in dimensions
    ]
    grouped = [
        table.month,
        *keys,
        table.transfer,
        table.money_in,
        table.currency,
        table.converted_currency,
    ]
    statement = (
        select(
            *grouped,
            func.sum(table.amount_minor),
            func.sum(table.converted_minor),
            func.sum(table.transaction_count),
            func.min(table.first_date),
            func.max(table.last_date),
        )
        .where(table.user_id == user_id, table.month >= first_month, table.month <= last_month)
        .group_by(*grouped)
    )
    # Positions of the key columns in a row (0 is the month); None: not selected.
    position: dict[Dimension, int] = {}
    for dimension in (Dimension.ACCOUNT, Dimension.CATEGORY, Dimension.PAYEE):
        if dimension in dimensions:
            position[dimension] = len(position) + 1
    account, category, payee = (
        position.get(Dimension.ACCOUNT),
        position.get(Dimension.CATEGORY),
        position.get(Dimension.PAYEE),
    )
    rest = 1 + len(position)
    flows = []
    for row in await session.execute(statement):
        flows.append(
            Flow(
                period=row[0],
                account_id=row[account] if account else None,
                category_id=row[category] if category else None,
                payee_id=row[payee] if payee else None,
                tag_id=None,
                transfer=bool(row[rest]),
                money_in=bool(row[rest + 1]),
                figures=Figures(
                    currency=row[rest + 2],
                    converted_currency=row[rest + 3],
                    amount_minor=int(row[rest + 4]),
                    converted_minor=int(row[rest + 5]),
                    count=int(row[rest + 6]),
                    first_date=row[rest + 7],
                    last_date=row[rest + 8],
                ),
            )
        )
    return flows


async def stored_nets(
    session: AsyncSession,
    user_id: uuid.UUID,
    first_month: dt.date,
    last_month: dt.date,
    *,
    key: Dimension,
    base: str,
    uncounted_categories: Collection[uuid.UUID],
) -> tuple[list[tuple[dt.date, uuid.UUID | None, int, int]], list[Figures]]:
    """What spending reports need of whole months: per month and key (the category or the
    payee), the net in the `base` currency and the transactions, leaving out transfers and
    `uncounted_categories`. Returns those cells (a month and key may come in several, to be
    added up), and the Figures waiting for a rate apart.

    By category the totals by category are read as they are stored, one row per category a
    month (and currency, and direction), and told apart here: adding up a few hundred narrow
    rows costs less than having the database group them. By payee the database sums the
    stored totals (one row per account, category and payee a month)."""
    if key is Dimension.CATEGORY:
        return await _category_nets(
            session, user_id, first_month, last_month, base, frozenset(uncounted_categories)
        )
    own, converted = ReportTotal.currency == base, ReportTotal.converted_currency == base
    convertible = or_(own, converted)
    # The currency a row waits for a rate in; NULL when it counts.
    waiting = case((convertible, null()), else_=ReportTotal.currency)
    amount = case((own, ReportTotal.amount_minor), (converted, ReportTotal.converted_minor))
    conditions = [
        ReportTotal.user_id == user_id,
        ReportTotal.month >= first_month,
        ReportTotal.month <= last_month,
        not_(ReportTotal.transfer),
    ]
    if uncounted_categories:
        conditions.append(
            or_(
                ReportTotal.category_id.is_(None),
                ReportTotal.category_id.not_in(list(uncounted_categories)),
            )
        )
    statement = (
        select(
            ReportTotal.month,
            ReportTotal.payee_id,
            waiting,
            func.sum(func.coalesce(amount, ReportTotal.amount_minor)),
            func.sum(ReportTotal.transaction_count),
            # Only the waiting rows need their dates (for the list of missing rates).
            func.min(case((convertible, null()), else_=ReportTotal.first_date)),
            func.max(case((convertible, null()), else_=ReportTotal.last_date)),
        )
        .where(*conditions)
        .group_by(ReportTotal.month, ReportTotal.payee_id, waiting)
    )
    cells: list[tuple[dt.date, uuid.UUID | None, int, int]] = []
    missing: list[Figures] = []
    connection = await session.connection()
    result = await connection.execute(statement)
    for month, key_id, currency, minor, count, first, last in result.all():
        if currency is None:
            cells.append((month, key_id, int(minor), int(count)))
        else:
            missing.append(Figures(currency, None, int(minor), 0, int(count), first, last))
    return cells, missing


_IN_RANGE = (
    ReportCategoryTotal.user_id == bindparam("user_id"),
    ReportCategoryTotal.month >= bindparam("first_month"),
    ReportCategoryTotal.month <= bindparam("last_month"),
    not_(ReportCategoryTotal.transfer),
)
_OWN = ReportCategoryTotal.currency == bindparam("base")
_CONVERTED = ReportCategoryTotal.converted_currency == bindparam("base")
# Each stored row counted in the base currency (NULL: it waits for a rate): four narrow
# columns, the fewer the values the driver decodes.
_CATEGORY_CELLS = RowQuery(
    select(
        ReportCategoryTotal.month,
        ReportCategoryTotal.category_id,
        case(
            (_OWN, ReportCategoryTotal.amount_minor),
            (_CONVERTED, ReportCategoryTotal.converted_minor),
        ),
        ReportCategoryTotal.transaction_count,
    ).where(*_IN_RANGE)
)
# The rows that wait for a rate, in full (rare: only when the cells hold one).
_CATEGORY_WAITING = RowQuery(
    select(
        ReportCategoryTotal.category_id,
        ReportCategoryTotal.currency,
        ReportCategoryTotal.amount_minor,
        ReportCategoryTotal.transaction_count,
        ReportCategoryTotal.first_date,
        ReportCategoryTotal.last_date,
    ).where(
        *_IN_RANGE,
        ReportCategoryTotal.currency != bindparam("base"),
        or_(
            ReportCategoryTotal.converted_currency.is_(None),
            ReportCategoryTotal.converted_currency != bindparam("base"),
        ),
    )
)


async def _category_nets(
    session: AsyncSession,
    user_id: uuid.UUID,
    first_month: dt.date,
    last_month: dt.date,
    base: str,
    uncounted: frozenset[uuid.UUID],
) -> tuple[list[tuple[dt.date, uuid.UUID | None, int, int]], list[Figures]]:
    cells: list[tuple[dt.date, uuid.UUID | None, int, int]] = []
    waiting = False
    values = {"user_id": user_id, "first_month": first_month, "last_month": last_month}
    for month, category_id, counted, count in await _CATEGORY_CELLS.all(
        session, base=base, **values
    ):
        if category_id in uncounted:
            continue
        if counted is None:
            waiting = True
        else:
            cells.append((month, category_id, counted, count))
    missing: list[Figures] = []
    if waiting:
        for category_id, currency, amount, count, first, last in await _CATEGORY_WAITING.all(
            session, base=base, **values
        ):
            if category_id not in uncounted:
                missing.append(Figures(currency, None, amount, 0, count, first, last))
    return cells, missing


async def account_sums(
    session: AsyncSession, user_id: uuid.UUID, account_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """Each account's transactions summed, in minor units of its currency (absent: none),
    from the stored totals (every transaction is in them once, a split one by its parts,
    which add up to it): a read of a few rows a month instead of every transaction."""
    if not account_ids:
        return {}
    sums = (
        select(ReportTotal.account_id, func.sum(ReportTotal.amount_minor))
        .where(ReportTotal.user_id == user_id, ReportTotal.account_id.in_(list(account_ids)))
        .group_by(ReportTotal.account_id)
    )
    # One statement: the sums, and a row without an account when the user's totals are built.
    built = select(null(), literal(0)).where(ReportTotalsBuilt.user_id == user_id)
    result: Any = await session.execute(union_all(sums, built))
    found: dict[uuid.UUID | None, int] = {row[0]: int(row[1]) for row in result}
    if None not in found:
        return await account_service.transaction_sums(session, user_id, account_ids)
    return {account_id: total for account_id, total in found.items() if account_id is not None}


async def flows(
    session: AsyncSession,
    user_id: uuid.UUID,
    date_from: dt.date,
    date_to: dt.date,
    dimensions: frozenset[Dimension],
    *,
    built: bool | None = None,
) -> list[Flow]:
    """The user's monthly flows in the range (a partial first or last month summed over its
    days in the range, labelled by its first day): the whole months from the stored totals,
    the partial ones from transactions. Everything from transactions while the user's totals
    are not built (`built`, when the caller knows), or when told apart by tag (tags are not
    stored)."""
    if built is None:
        built = await is_built(session, user_id)
    if Dimension.TAG in dimensions or not built:
        return await flows_of_transactions(
            session, user_id, date_from, date_to, dimensions, monthly=True
        )
    cut = cut_at_months(date_from, date_to)
    found: list[Flow] = []
    if cut.has_whole_months:
        assert cut.first_month is not None and cut.last_month is not None
        found += await stored_flows(session, user_id, cut.first_month, cut.last_month, dimensions)
    for low, high in cut.edges:
        found += await flows_of_transactions(session, user_id, low, high, dimensions, monthly=True)
    return found
