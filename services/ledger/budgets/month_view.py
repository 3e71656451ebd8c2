"""One month of budgeting as the user sees it, in their style and base currency: a line per
expense category (budgeted, carried, spent, available), the month's totals, and for envelope
budgeting what is ready to assign.

A view costs the same handful of queries however long the history: the settings, the
categories, the budgets up to the month, and one aggregate of the transactions per category
and month. The carries are then added up in memory (months.py). Several months are computed
from one such reading.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.budgets import months as arithmetic
from services.ledger.budgets import repository
from services.ledger.categories import service as category_service
from services.ledger.currencies import service as currency_service
from services.ledger.currencies.conversion import Figures, MissingRate, MissingRates, count_in
from services.ledger.models import (
    BUDGET_STYLE_ENVELOPE,
    BUDGET_STYLE_LIMITS,
    CATEGORY_KIND_EXPENSE,
    CATEGORY_KIND_INCOME,
    Budget,
    Category,
)
from services.ledger.periods import Month
from shared.money import Money


@dataclass(frozen=True)
class BudgetReport:
    """A budget row with what its category spent that month, in the budget's currency."""

    budget_id: uuid.UUID
    category_id: uuid.UUID
    category_name: str
    month: str
    amount: Money
    spent: Money
    # Transactions of the category and month that `spent` leaves out: they wait for a rate
    # into the budget's currency.
    missing_rates: tuple[MissingRate, ...] = ()
    # The category's row, read with the budget (the request's loaders keep it).
    category: Category | None = field(default=None, compare=False, repr=False)

    @property
    def remaining(self) -> Money:
        return self.amount - self.spent


@dataclass(frozen=True)
class BudgetLine:
    category: Category
    budget: BudgetReport | None  # the month's row, when one is set in the base currency
    budgeted: Money
    carried: Money
    spent: Money
    rollover: bool  # whether anything carries into the category (always, in envelope)
    missing_rates: tuple[MissingRate, ...] = ()

    @property
    def available(self) -> Money:
        return self.budgeted + self.carried - self.spent


@dataclass(frozen=True)
class ReadyToAssign:
    income: Money  # up to and including the month
    assigned: Money  # up to and including the month
    overspent: Money  # in the months before

    @property
    def amount(self) -> Money:
        return self.income - self.assigned - self.overspent


@dataclass(frozen=True)
class BudgetMonth:
    month: str
    style: str
    currency: str
    income: Money
    uncategorized: Money  # net money out of uncategorized transactions in the month
    lines: tuple[BudgetLine, ...]
    ready_to_assign: ReadyToAssign | None  # envelope budgeting only
    missing_rates: tuple[MissingRate, ...]
    # The month's budgets set in another currency (before the base currency changed): they
    # count as nothing until set again.
    other_currency_budgets: tuple[BudgetReport, ...]

    def total(self, figure: str) -> Money:
        """The sum of the lines' `figure` (budgeted, carried, spent or available)."""
        total = Money.zero(self.currency)
        for line in self.lines:
            total += getattr(line, figure)
        return total

    def line_of(self, category_id: uuid.UUID) -> BudgetLine | None:
        return next((line for line in self.lines if line.category.id == category_id), None)


class _Sums:
    """The aggregate of the user's transactions, per (category or None, month)."""

    def __init__(self, found: Iterable[tuple[uuid.UUID | None, int, int, Figures]]) -> None:
        self._figures: defaultdict[tuple[uuid.UUID | None, int], list[Figures]] = defaultdict(list)
        for category_id, year, month, figures in found:
            self._figures[(category_id, arithmetic.month_index(year, month))].append(figures)

    def cells(self) -> list[tuple[uuid.UUID | None, int]]:
        """Every (category or None, month) with transactions."""
        return list(self._figures)

    def net(
        self, category_id: uuid.UUID | None, index: int, currency: str, missing: MissingRates
    ) -> int:
        """Their net in `currency` (money in positive); what waits for a rate goes to
        `missing`."""
        return count_in(currency, self._figures.get((category_id, index), ()), missing)


async def budget_style(session: AsyncSession, user_id: uuid.UUID) -> str:
    """LIMITS or ENVELOPE (see months.py): how the user's months add up."""
    settings = await repository.settings_for(session, user_id)
    return settings.budget_style if settings is not None else BUDGET_STYLE_LIMITS


async def budget_month(
    session: AsyncSession, user_id: uuid.UUID, month: str, field: str = "month"
) -> BudgetMonth:
    """The user's month of budgeting, in their style, counted in their base currency."""
    period = Month.parse(month, field)
    return _view(await _read(session, user_id, [period]), period)


async def budget_months(
    session: AsyncSession, user_id: uuid.UUID, months: Sequence[str], field: str = "months"
) -> list[BudgetMonth]:
    """Several months of budgeting, in order, from one reading of the history."""
    periods = sorted({Month.parse(month, field) for month in months})
    if not periods:
        return []
    facts = await _read(session, user_id, periods)
    return [_view(facts, period) for period in periods]


@dataclass(frozen=True)
class _Facts:
    """What the views of some months are computed from: read once, through the last month."""

    style: str
    currency: str
    expense: list[Category]
    income_ids: set[uuid.UUID]
    budgets: list[Budget]  # of expense categories, through the last month, any currency
    sums: _Sums


async def _read(session: AsyncSession, user_id: uuid.UUID, periods: Sequence[Month]) -> _Facts:
    settings = await repository.settings_for(session, user_id)
    style = settings.budget_style if settings is not None else BUDGET_STYLE_LIMITS
    currency = (
        settings.base_currency
        if settings is not None
        else await currency_service.base_currency(session, user_id)
    )
    categories = await category_service.list_categories(session, user_id)
    expense = [c for c in categories if c.kind == CATEGORY_KIND_EXPENSE]
    expense_ids = {c.id for c in expense}
    budgets = [
        row
        for row in await repository.budgets_through(session, user_id, str(max(periods)))
        if row.category_id in expense_ids
    ]
    counted = [row for row in budgets if row.currency == currency]
    start = _history_start(style, expense, counted, min(periods))
    sums = _Sums(await repository.monthly_sums(session, user_id, start, max(periods).last_day))
    return _Facts(
        style=style,
        currency=currency,
        expense=expense,
        income_ids={c.id for c in categories if c.kind == CATEGORY_KIND_INCOME},
        budgets=budgets,
        sums=sums,
    )


def _view(facts: _Facts, period: Month) -> BudgetMonth:
    style, currency, sums = facts.style, facts.currency, facts.sums
    index = arithmetic.month_index(period.year, period.month)
    flows = _flows(sums, {c.id for c in facts.expense}, facts.income_ids, index, currency)
    figures = arithmetic.month_figures(
        style,
        index,
        {c.id: c.rollover for c in facts.expense},
        {
            (row.category_id, _index_of(row.month)): row.amount_minor
            for row in facts.budgets
            if row.currency == currency
        },
        flows.spent,
    )
    rows_now = {row.category_id: row for row in facts.budgets if row.month == str(period)}
    lines = []
    for category in facts.expense:
        missing = MissingRates()
        sums.net(category.id, index, currency, missing)
        sums.net(category.id, index, currency, flows.missing)
        line = _line(
            category,
            figures.lines[category.id],
            rows_now.get(category.id),
            currency,
            tuple(missing.listed()),
            rolls=style == BUDGET_STYLE_ENVELOPE or category.rollover,
        )
        if _shown(line):
            lines.append(line)
    others = [
        _report(row, category, sums, index)
        for category in facts.expense
        if (row := rows_now.get(category.id)) is not None and row.currency != currency
    ]
    ready = None
    if style == BUDGET_STYLE_ENVELOPE:
        ready = ReadyToAssign(
            income=Money(flows.income_to_date, currency),
            assigned=Money(figures.assigned_to_date, currency),
            overspent=Money(figures.overspent_before, currency),
        )
    return BudgetMonth(
        month=str(period),
        style=style,
        currency=currency,
        income=Money(flows.income, currency),
        uncategorized=Money(-sums.net(None, index, currency, MissingRates()), currency),
        lines=tuple(lines),
        ready_to_assign=ready,
        missing_rates=tuple(flows.missing.listed()),
        other_currency_budgets=tuple(others),
    )


@dataclass
class _Flows:
    spent: dict[arithmetic.Key, int]  # per expense category and month, money out positive
    income_to_date: int
    income: int  # in the month
    missing: MissingRates  # the month's transactions left out for lack of a rate


def _flows(
    sums: _Sums, expense_ids: set[uuid.UUID], income_ids: set[uuid.UUID], index: int, currency: str
) -> _Flows:
    """What was spent per expense category and month, and the income, in `currency`. Transfer
    categories count nowhere. Earlier months' transactions waiting for a rate are left out of
    the carries silently (missingExchangeRates lists them); the month's are listed."""
    flows = _Flows(spent={}, income_to_date=0, income=0, missing=MissingRates())
    for category_id, at in sums.cells():
        if at > index:  # read for a later month of the same reading
            continue
        missing = flows.missing if at == index else MissingRates()
        if category_id in expense_ids:
            flows.spent[(category_id, at)] = -sums.net(category_id, at, currency, MissingRates())
        elif category_id is None:
            sums.net(None, at, currency, missing)
        elif category_id in income_ids:
            net = sums.net(category_id, at, currency, missing)
            flows.income_to_date += net
            flows.income += net if at == index else 0
    return flows


def _line(
    category: Category,
    figures: arithmetic.LineFigures,
    row: Budget | None,
    currency: str,
    missing: tuple[MissingRate, ...],
    *,
    rolls: bool,
) -> BudgetLine:
    spent = Money(figures.spent, currency)
    budget = None
    if row is not None and row.currency == currency:
        budget = BudgetReport(
            budget_id=row.id,
            category_id=category.id,
            category_name=category.name,
            month=row.month,
            amount=Money(row.amount_minor, currency),
            spent=spent,
            missing_rates=missing,
            category=category,
        )
    return BudgetLine(
        category=category,
        budget=budget,
        budgeted=Money(figures.budgeted, currency),
        carried=Money(figures.carried, currency),
        spent=spent,
        rollover=rolls,
        missing_rates=missing,
    )


def _shown(line: BudgetLine) -> bool:
    """Hidden categories are left out of a month where nothing of theirs shows."""
    if not line.category.hidden:
        return True
    return bool(
        line.budget is not None or line.carried.minor or line.spent.minor or line.missing_rates
    )


def _report(row: Budget, category: Category, sums: _Sums, index: int) -> BudgetReport:
    missing = MissingRates()
    net = sums.net(category.id, index, row.currency, missing)
    return BudgetReport(
        budget_id=row.id,
        category_id=category.id,
        category_name=category.name,
        month=row.month,
        amount=Money(row.amount_minor, row.currency),
        spent=Money(-net, row.currency),
        missing_rates=tuple(missing.listed()),
        category=category,
    )


def _index_of(month: str) -> int:
    parsed = Month.parse(month, "month")
    return arithmetic.month_index(parsed.year, parsed.month)


def _history_start(
    style: str, expense: list[Category], counted: list[Budget], period: Month
) -> dt.date | None:
    """The first day whose transactions the view needs: all of them for envelope budgeting
    (income to date, overspending ever); for limits, those from the first month budgeted of a
    category with rollover, else only this month's."""
    if style == BUDGET_STYLE_ENVELOPE:
        return None
    rolling = {c.id for c in expense if c.rollover}
    first = min((row.month for row in counted if row.category_id in rolling), default=None)
    return Month.parse(first or str(period), "month").first_day
