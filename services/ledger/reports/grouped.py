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
class ReportSeries:
    """One key across the periods: the report read as a table (a chart's series)."""

    key: Key | None
    name: str
    amounts: list[int]  # minor units of the base currency, one per period, 0 where none
    total: Money
    transaction_count: int


# (period index, key id) -> (amount in the report's direction, positive; transactions)
Cells = dict[tuple[int, uuid.UUID | None], tuple[int, int]]


@dataclass(frozen=True)
class SpendingReport:
    """The counted cells of a report, read period by period (`rows`) or key by key (`series`):
    each shape is built only when asked for."""

    date_from: dt.date
    date_to: dt.date
    grouping: Grouping
    interval: Interval
    direction: Direction
    periods: list[Period]
    period_totals: list[int]
    cells: Cells
    keys: dict[uuid.UUID, Key]
    base: str
    missing_rates: list[MissingRate]

    @property
    def total(self) -> Money:
        return Money(sum(self.period_totals), self.base)

    def _name(self, key_id: uuid.UUID | None) -> tuple[Key | None, str]:
        key = self.keys.get(key_id) if key_id is not None else None
        return key, key.name if key is not None else _nameless(self.grouping)

    def period_total(self, index: int) -> Money:
        return Money(self.period_totals[index], self.base)

    def rows(self, index: int) -> list[ReportRow]:
        """The period's rows, largest first, then by name."""
        found = []
        for key_id, (amount, count) in self._by_period()[index].items():
            key, name = self._name(key_id)
            found.append(ReportRow(key, name, Money(amount, self.base), count))
        return sorted(found, key=lambda row: (-row.amount.minor, row.name))

    def _by_period(self) -> list[dict[uuid.UUID | None, tuple[int, int]]]:
        cached: list[dict[uuid.UUID | None, tuple[int, int]]] | None = self.__dict__.get("_rows")
        if cached is None:
            cached = [{} for _ in self.periods]
            for (index, key_id), cell in self.cells.items():
                cached[index][key_id] = cell
            object.__setattr__(self, "_rows", cached)
        return cached

    def series(self) -> list[ReportSeries]:
        """Every key with money in some period, largest total first, then by name."""
        amounts: dict[uuid.UUID | None, list[int]] = {}
        counts: defaultdict[uuid.UUID | None, int] = defaultdict(int)
        for (index, key_id), (amount, count) in self.cells.items():
            if key_id not in amounts:
                amounts[key_id] = [0] * len(self.periods)
            amounts[key_id][index] = amount
            counts[key_id] += count
        found = []
        for key_id, values in amounts.items():
            key, name = self._name(key_id)
            total = Money(sum(values), self.base)
            found.append(ReportSeries(key, name, values, total, counts[key_id]))
        return sorted(found, key=lambda series: (-series.total.minor, series.name))


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
    basis, listed = await totals.basis_and_categories(session, user_id)
    categories = {row.id: row for row in listed}
    scope = _Scope(
        session,
        user_id,
        date_from,
        date_to,
        interval,
        conditions,
        periods_of(date_from, date_to, interval),
        basis.base,
        basis.built,
        frozenset(c.id for c in categories.values() if c.kind == CATEGORY_KIND_TRANSFER),
    )
    missing = MissingRates()
    nets = await scope.nets(grouping, _regroup(grouping, categories), missing)
    sign = -1 if direction is Direction.SPENDING else 1
    cells: Cells = {}
    period_totals = [0] * len(scope.periods)
    for (index, key_id), (net, count) in nets.items():
        if net * sign > 0:
            cells[(index, key_id)] = (net * sign, count)
            period_totals[index] += net * sign
    if grouping is Grouping.TAG:
        # Each transaction once: the totals of the same report by category.
        period_totals = [0] * len(scope.periods)
        for (index, _), (net, _count) in (await scope.nets(Grouping.CATEGORY, None, None)).items():
            if net * sign > 0:
                period_totals[index] += net * sign
    keys = await _keys(session, user_id, grouping, categories, {key for _, key in cells})
    return SpendingReport(
        date_from=date_from,
        date_to=date_to,
        grouping=grouping,
        interval=interval,
        direction=direction,
        periods=scope.periods,
        period_totals=period_totals,
        cells=cells,
        keys=keys,
        base=basis.base,
        missing_rates=missing.listed(),
    )


# What a flow is told apart by, for each grouping (a payee or tag report still needs the
# category: what is in a category of kind TRANSFER never counts).
_DIMENSIONS = {
    Grouping.CATEGORY: frozenset({Dimension.CATEGORY}),
    Grouping.CATEGORY_GROUP: frozenset({Dimension.CATEGORY}),
    Grouping.PAYEE: frozenset({Dimension.CATEGORY, Dimension.PAYEE}),
    Grouping.TAG: frozenset({Dimension.CATEGORY, Dimension.TAG}),
}
# (period index, key) -> [net, transactions]
Nets = dict[tuple[int, uuid.UUID | None], list[int]]


@dataclass(frozen=True)
class _Scope:
    """What a report counts: the user's transactions in the range (and the filter), cut into
    its periods, in the base currency, without transfers."""

    session: AsyncSession
    user_id: uuid.UUID
    date_from: dt.date
    date_to: dt.date
    interval: Interval
    conditions: Sequence[ColumnElement[bool]] | None
    periods: list[Period]
    base: str
    built: bool  # whether the user's totals are built
    uncounted_categories: frozenset[uuid.UUID]

    async def nets(
        self,
        grouping: Grouping,
        regroup: Callable[[uuid.UUID | None], uuid.UUID | None] | None,
        missing: MissingRates | None,
    ) -> Nets:
        """(period index, key) -> (net in the base currency, transactions). Whole months of
        an unfiltered report come summed from the stored totals; the rest from transactions."""
        finder = PeriodFinder(self.periods)
        sums: defaultdict[tuple[int, uuid.UUID | None], list[int]] = defaultdict(lambda: [0, 0])
        date_from, date_to = self.date_from, self.date_to
        stored = self._stored_key(grouping)
        if stored is not None:
            cut = totals.cut_at_months(date_from, date_to)
            if cut.has_whole_months:
                assert cut.first_month is not None and cut.last_month is not None
                cells, waiting = await totals.stored_nets(
                    self.session,
                    self.user_id,
                    cut.first_month,
                    cut.last_month,
                    key=stored,
                    base=self.base,
                    uncounted_categories=self.uncounted_categories,
                )
                # Hundreds of cells, a few dozen months: each month's period found once.
                index_of: dict[dt.date, int] = {}
                for month, key_id, minor, count in cells:
                    index = index_of.get(month)
                    if index is None:
                        index = index_of[month] = finder.index_of(month)
                    entry = sums[(index, regroup(key_id) if regroup else key_id)]
                    entry[0] += minor
                    entry[1] += count
                if missing is not None:
                    for figures in waiting:
                        missing.add(figures)
            ranges = list(cut.edges)
        else:
            ranges = [(date_from, date_to)]
        key_of = _flow_key(grouping)
        for first, last in ranges:
            for flow in await self._flows(first, last, _DIMENSIONS[grouping]):
                if flow.transfer or flow.category_id in self.uncounted_categories:
                    continue
                counted = flow.figures.minor_in(self.base)
                if counted is None:
                    if missing is not None:
                        missing.add(flow.figures)
                    continue
                key_id = key_of(flow)
                entry = sums[(finder.index_of(flow.period), regroup(key_id) if regroup else key_id)]
                entry[0] += counted
                entry[1] += flow.figures.count
        return sums

    def _stored_key(self, grouping: Grouping) -> Dimension | None:
        """The stored totals' column to read whole months by, when they can answer."""
        if self.conditions is not None or self.interval.needs_days:
            return None
        if grouping is Grouping.TAG or not self.built:
            return None
        return Dimension.PAYEE if grouping is Grouping.PAYEE else Dimension.CATEGORY

    async def _flows(
        self, first: dt.date, last: dt.date, wanted: frozenset[Dimension]
    ) -> list[Flow]:
        return await flows_of_transactions(
            self.session,
            self.user_id,
            first,
            last,
            wanted,
            monthly=not self.interval.needs_days,
            conditions=self.conditions or (),
        )


def _flow_key(grouping: Grouping) -> Callable[[Flow], uuid.UUID | None]:
    if grouping is Grouping.PAYEE:
        return lambda flow: flow.payee_id
    if grouping is Grouping.TAG:
        return lambda flow: flow.tag_id
    return lambda flow: flow.category_id


def _regroup(
    grouping: Grouping, categories: dict[uuid.UUID, Category]
) -> Callable[[uuid.UUID | None], uuid.UUID | None] | None:
    """From a flow's key to the report's: a category to its group; None: the same."""
    if grouping is not Grouping.CATEGORY_GROUP:
        return None

    def group_of(category_id: uuid.UUID | None) -> uuid.UUID | None:
        category = categories.get(category_id) if category_id else None
        return category.group_id if category is not None else None

    return group_of


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
