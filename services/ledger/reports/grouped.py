"""Spending and income over any range, cut into periods (days, weeks, months, years or the
whole range) and grouped by category, category group, payee or tag; exact, in the user's base
currency.

What counts is what budgets count (repository.py): never a transfer between the user's own
accounts, nor anything in a category of kind TRANSFER; a split transaction by its parts; a
foreign transaction at its stored figure (one still waiting for a rate is left out and
listed). Each row is the net of its money in and out in its period (refunds reduce spending):
SPENDING shows the rows whose net is money out, as positive amounts; INCOME the rows whose net
is money in. A period's total is the sum of its rows, the report's total the sum of the
periods', to the cent. By tag, a transaction with two tags counts under both: the totals are
then those of the same report by category (each transaction once), not the sum of the tag rows.

Without a filter, whole months are read from the report totals (totals.py): a report costs
what its months cost, whatever the history. Weeks, days, tags and filters read transactions of
the range (through the user/date index).
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.categories import service as category_service
from services.ledger.currencies import service as currency_service
from services.ledger.currencies.conversion import MissingRate, MissingRates
from services.ledger.models import CATEGORY_KIND_TRANSFER, Category, CategoryGroup, Payee, Tag
from services.ledger.payees import service as payee_service
from services.ledger.periods import check_range
from services.ledger.reports import totals
from services.ledger.reports.intervals import (
    MAX_REPORT_YEARS,
    Interval,
    Period,
    PeriodFinder,
    periods_of,
)
from services.ledger.reports.repository import Dimension, Flow, flows_of_transactions
from services.ledger.tags import service as tag_service
from services.ledger.transactions.filters import TransactionFilter, compile_filter
from shared.money import Money

UNCATEGORIZED, NO_PAYEE, UNTAGGED = "Uncategorized", "No payee", "Untagged"


class Grouping(enum.Enum):
    CATEGORY = "category"
    CATEGORY_GROUP = "category_group"
    PAYEE = "payee"
    TAG = "tag"


class Direction(enum.Enum):
    SPENDING = "spending"
    INCOME = "income"


Key = Category | CategoryGroup | Payee | Tag


@dataclass(frozen=True)
class ReportRow:
    key: Key | None  # None: no category (group), no payee, no tag
    name: str
    amount: Money  # positive, in the report's direction
    transaction_count: int  # a split transaction once per category its parts are in


@dataclass(frozen=True)
class ReportPeriod:
    period: Period
    total: Money
    rows: list[ReportRow]  # largest first, then by name


@dataclass(frozen=True)
class SpendingReport:
    date_from: dt.date
    date_to: dt.date
    grouping: Grouping
    interval: Interval
    direction: Direction
    periods: list[ReportPeriod]
    total: Money
    missing_rates: list[MissingRate]


async def spending_report(
    session: AsyncSession,
    user_id: uuid.UUID,
    date_from: dt.date,
    date_to: dt.date,
    *,
    grouping: Grouping,
    interval: Interval,
    direction: Direction,
    given: TransactionFilter | None = None,
) -> SpendingReport:
    check_range(date_from, date_to, from_field="from", to_field="to", max_years=MAX_REPORT_YEARS)
    conditions = (await compile_filter(session, user_id, given)).conditions if given else None
    base = await currency_service.base_currency(session, user_id)
    categories = {row.id: row for row in await category_service.list_categories(session, user_id)}
    transfer_kind = {c.id for c in categories.values() if c.kind == CATEGORY_KIND_TRANSFER}
    periods = periods_of(date_from, date_to, interval)
    dimensions = {
        Grouping.CATEGORY: frozenset({Dimension.CATEGORY}),
        Grouping.CATEGORY_GROUP: frozenset({Dimension.CATEGORY}),
        Grouping.PAYEE: frozenset({Dimension.CATEGORY, Dimension.PAYEE}),
        Grouping.TAG: frozenset({Dimension.CATEGORY, Dimension.TAG}),
    }[grouping]

    async def counted(wanted: frozenset[Dimension]) -> list[Flow]:
        found = await _flows(session, user_id, date_from, date_to, wanted, interval, conditions)
        return [f for f in found if not f.transfer and f.category_id not in transfer_kind]

    missing = MissingRates()
    flows = await counted(dimensions)
    key_of = _key_function(grouping, categories)
    nets = _nets(flows, periods, base, key_of, missing)
    keys = await _keys(session, user_id, grouping, categories, {key for _, key in nets})
    sign = -1 if direction is Direction.SPENDING else 1
    by_period: defaultdict[int, list[ReportRow]] = defaultdict(list)
    for (index, key_id), (net, count) in nets.items():
        if net * sign > 0:
            key = keys.get(key_id) if key_id is not None else None
            name = key.name if key is not None else _nameless(grouping)
            by_period[index].append(ReportRow(key, name, Money(net * sign, base), count))
    period_totals = [sum(row.amount.minor for row in by_period[i]) for i in range(len(periods))]
    if grouping is Grouping.TAG:
        # Each transaction once: the totals of the same report by category.
        by_category = _nets(
            await counted(frozenset({Dimension.CATEGORY})),
            periods,
            base,
            lambda flow: flow.category_id,
            None,
        )
        period_totals = [0] * len(periods)
        for (index, _), (net, _count) in by_category.items():
            if net * sign > 0:
                period_totals[index] += net * sign
    report_periods = [
        ReportPeriod(
            period,
            Money(period_totals[index], base),
            sorted(by_period[index], key=lambda row: (-row.amount.minor, row.name)),
        )
        for index, period in enumerate(periods)
    ]
    return SpendingReport(
        date_from=date_from,
        date_to=date_to,
        grouping=grouping,
        interval=interval,
        direction=direction,
        periods=report_periods,
        total=Money(sum(period_totals), base),
        missing_rates=missing.listed(),
    )


async def _flows(
    session: AsyncSession,
    user_id: uuid.UUID,
    date_from: dt.date,
    date_to: dt.date,
    dimensions: frozenset[Dimension],
    interval: Interval,
    conditions: Sequence[ColumnElement[bool]] | None,
) -> list[Flow]:
    if conditions is None and not interval.needs_days:
        return await totals.flows(session, user_id, date_from, date_to, dimensions)
    return await flows_of_transactions(
        session,
        user_id,
        date_from,
        date_to,
        dimensions,
        monthly=not interval.needs_days,
        conditions=conditions or (),
    )


def _key_function(
    grouping: Grouping, categories: dict[uuid.UUID, Category]
) -> Callable[[Flow], uuid.UUID | None]:
    if grouping is Grouping.CATEGORY:
        return lambda flow: flow.category_id
    if grouping is Grouping.PAYEE:
        return lambda flow: flow.payee_id
    if grouping is Grouping.TAG:
        return lambda flow: flow.tag_id

    def group_of(flow: Flow) -> uuid.UUID | None:
        category = categories.get(flow.category_id) if flow.category_id else None
        return category.group_id if category is not None else None

    return group_of


def _nets(
    flows: Sequence[Flow],
    periods: list[Period],
    base: str,
    key_of: Callable[[Flow], uuid.UUID | None],
    missing: MissingRates | None,
) -> dict[tuple[int, uuid.UUID | None], tuple[int, int]]:
    """(period index, key) -> (net in the base currency, transactions)."""
    finder = PeriodFinder(periods)
    nets: defaultdict[tuple[int, uuid.UUID | None], list[int]] = defaultdict(lambda: [0, 0])
    for flow in flows:
        minor = flow.figures.minor_in(base)
        if minor is None:
            if missing is not None:
                missing.add(flow.figures)
            continue
        entry = nets[(finder.index_of(flow.period), key_of(flow))]
        entry[0] += minor
        entry[1] += flow.figures.count
    return {key: (net, count) for key, (net, count) in nets.items()}


async def _keys(
    session: AsyncSession,
    user_id: uuid.UUID,
    grouping: Grouping,
    categories: dict[uuid.UUID, Category],
    ids: set[uuid.UUID | None],
) -> dict[uuid.UUID, Key]:
    wanted = [key for key in ids if key is not None]
    if grouping is Grouping.CATEGORY:
        return {key: categories[key] for key in wanted if key in categories}
    rows: Sequence[Key] = []
    if grouping is Grouping.CATEGORY_GROUP:
        rows = await category_service.list_groups(session, user_id)
    elif grouping is Grouping.PAYEE and wanted:
        rows = await payee_service.payees_by_ids(session, user_id, wanted)
    elif grouping is Grouping.TAG and wanted:
        rows = await tag_service.tags_by_ids(session, user_id, wanted)
    return {row.id: row for row in rows}


def _nameless(grouping: Grouping) -> str:
    if grouping is Grouping.PAYEE:
        return NO_PAYEE
    if grouping is Grouping.TAG:
        return UNTAGGED
    return UNCATEGORIZED
