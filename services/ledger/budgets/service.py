"""Budgets: one amount per category and month, reported with what was spent in it; copying
a month's budgets, moving money between categories, and choosing the budgeting style (a month
in either style is month_view.py; how it adds up, months.py).

Only expense categories are budgeted: income is what envelope budgeting assigns, and transfers
move money between the user's own accounts.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger import rows
from services.ledger.budgets import month_view, repository
from services.ledger.budgets.month_view import BudgetReport
from services.ledger.categories import service as category_service
from services.ledger.currencies import service as currency_service
from services.ledger.currencies.conversion import Figures, MissingRates, count_in
from services.ledger.models import (
    BUDGET_STYLES,
    CATEGORY_KIND_EXPENSE,
    Budget,
    Category,
    LedgerSettings,
)
from services.ledger.periods import Month, month_of
from shared.db import UnitOfWork
from shared.errors import BadUserInput, NotFound
from shared.money import Money


async def set_budget(
    work: UnitOfWork, user_id: uuid.UUID, *, category_id: uuid.UUID, month: str, amount: Decimal
) -> BudgetReport:
    """One amount per category and month, in the base currency: setting it again replaces it
    (and states it in the base currency of the day)."""
    session = work.session
    period = Month.parse(month, "input.month")
    category = await category_service.require_category(session, user_id, category_id)
    _check_budgeted_kind(category, "input.categoryId")
    currency = await currency_service.base_currency(session, user_id)
    limit = Money.parse(amount, currency, "input.amount")
    if limit.minor < 0:
        raise BadUserInput("input.amount", "must not be negative")
    budget = await repository.budget_for(session, user_id, category.id, str(period))
    if budget is None:
        budget = Budget(user_id=user_id, category_id=category.id, month=str(period))
        rows.add(session, budget)
    budget.amount_minor = limit.minor
    budget.currency = limit.currency
    await session.flush()
    reports = await _budget_reports(session, user_id, [period])
    return next(report for report in reports if report.budget_id == budget.id)


async def budget_reports(
    session: AsyncSession, user_id: uuid.UUID, months: Sequence[str], field: str = "month"
) -> list[BudgetReport]:
    periods = sorted({Month.parse(month, field) for month in months})
    return await _budget_reports(session, user_id, periods)


async def _budget_reports(
    session: AsyncSession, user_id: uuid.UUID, periods: Sequence[Month]
) -> list[BudgetReport]:
    if not periods:
        return []
    budgets = await repository.budgets_in_months(session, user_id, [str(p) for p in periods])
    if not budgets:
        return []
    figures = await _spending(
        session, user_id, periods, sorted({budget.category_id for budget, _ in budgets})
    )
    reports = []
    for budget, category in budgets:
        missing = MissingRates()
        net = count_in(budget.currency, figures[(budget.category_id, budget.month)], missing)
        reports.append(
            BudgetReport(
                budget_id=budget.id,
                category_id=budget.category_id,
                category_name=category.name,
                month=budget.month,
                amount=Money(budget.amount_minor, budget.currency),
                spent=Money(-net, budget.currency),
                missing_rates=tuple(missing.listed()),
                category=category,
            )
        )
    return reports


async def _spending(
    session: AsyncSession,
    user_id: uuid.UUID,
    periods: Sequence[Month],
    category_ids: Sequence[uuid.UUID],
) -> defaultdict[tuple[uuid.UUID, str], list[Figures]]:
    """What these categories spent from the first period through the last, per (category,
    month) in each currency's figures (spending negative, refunds positive): from the stored
    monthly totals, or the transactions while the user's totals are not built. Budgets read
    them after their own writes, which never change transactions (so the totals the unit of
    work would bring up to date at commit are already right)."""
    first, last = periods[0], periods[-1]
    found = await repository.stored_spending(
        session, user_id, first.first_day, last.first_day, category_ids
    )
    if found is None:
        found = await repository.sums_by_category_and_day(
            session, user_id, first.first_day, last.last_day, category_ids=category_ids
        )
    figures: defaultdict[tuple[uuid.UUID, str], list[Figures]] = defaultdict(list)
    for category_id, day, sums in found:
        figures[(category_id, month_of(day))].append(sums)
    return figures


async def spending_limits(
    session: AsyncSession, user_id: uuid.UUID, months: Sequence[str], field: str = "months"
) -> list[BudgetReport]:
    """Every budget of these months as an overspending check sees it, by month then category
    name: `amount` is what the category may spend that month in the user's style (its budget
    plus what carried in, with rollover or in envelope budgeting), so spending beyond it is
    overspending. A budget set in an earlier base currency is its own amount, as before."""
    limits = []
    for view in await month_view.budget_months(session, user_id, months, field):
        for line in view.lines:
            if line.budget is not None:
                limits.append(replace(line.budget, amount=line.budgeted + line.carried))
        limits.extend(view.other_currency_budgets)
    return sorted(limits, key=lambda report: (report.month, report.category_name))


async def budget_report(
    session: AsyncSession, user_id: uuid.UUID, budget_id: uuid.UUID
) -> BudgetReport:
    """One of the user's budgets with what was spent; NOT_FOUND for anyone else's."""
    budget = await repository.budget_for_user(session, user_id, budget_id)
    if budget is None:
        raise NotFound("Budget")
    reports = await _budget_reports(session, user_id, [Month.parse(budget.month, "id")])
    return next(report for report in reports if report.budget_id == budget_id)


# --- the style -----------------------------------------------------------------------------


async def set_budget_style(work: UnitOfWork, user_id: uuid.UUID, style: str) -> LedgerSettings:
    """Budget in `style` from now on. Every amount stays as it is: only how months add up
    changes (see months.py), so switching back shows what it showed before."""
    session = work.session
    if style not in BUDGET_STYLES:
        raise BadUserInput("input.style", f"must be one of {', '.join(BUDGET_STYLES)}")
    settings = await repository.settings_for(session, user_id)
    if settings is None:  # a user from before settings existed: their base currency as is
        base = await currency_service.base_currency(session, user_id)
        settings = LedgerSettings(user_id=user_id, base_currency=base)
        rows.add(session, settings)
    settings.budget_style = style
    await session.flush()
    return settings


# --- copying and moving --------------------------------------------------------------------


@dataclass(frozen=True)
class Copy:
    copied: int  # budgets created or replaced in the target month
    budgets: list[BudgetReport]  # the target month's budgets now


async def copy_budgets(
    work: UnitOfWork, user_id: uuid.UUID, *, from_month: str, to_month: str, overwrite: bool
) -> Copy:
    """Give `to_month` the amounts budgeted in `from_month`, category by category (any month,
    before or ahead). A category already budgeted in `to_month` keeps its amount unless
    `overwrite`. Amounts set in another currency than the base, and negative ones (money moved
    out of a category for that month only), are not copied."""
    session = work.session
    source = Month.parse(from_month, "input.fromMonth")
    target = Month.parse(to_month, "input.toMonth")
    if source == target:
        raise BadUserInput("input.toMonth", "must be another month than input.fromMonth")
    await rows.lock_user(session, user_id)
    currency = await currency_service.base_currency(session, user_id)
    expense = {
        category.id
        for category in await category_service.list_categories(session, user_id)
        if category.kind == CATEGORY_KIND_EXPENSE
    }
    existing = {
        row.category_id: row
        for row in await repository.budgets_in_month(session, user_id, str(target))
    }
    copied = 0
    for row in await repository.budgets_in_month(session, user_id, str(source)):
        if row.category_id not in expense or row.currency != currency or row.amount_minor < 0:
            continue
        into = existing.get(row.category_id)
        if into is None:
            into = Budget(user_id=user_id, category_id=row.category_id, month=str(target))
            rows.add(session, into)
        elif not overwrite:
            continue
        into.amount_minor, into.currency = row.amount_minor, row.currency
        copied += 1
    await session.flush()
    return Copy(copied=copied, budgets=await _budget_reports(session, user_id, [target]))


@dataclass(frozen=True)
class Move:
    source: BudgetReport
    target: BudgetReport


async def move_budget(
    work: UnitOfWork,
    user_id: uuid.UUID,
    *,
    from_category_id: uuid.UUID,
    to_category_id: uuid.UUID,
    month: str,
    amount: Decimal,
) -> Move:
    """Move `amount` of a month's budget from one category to another: the source's budget of
    the month goes down by it (below zero when what it moves came in as a carry), the target's
    up. No more than the source has available that month can move."""
    session = work.session
    period = Month.parse(month, "input.month")
    if from_category_id == to_category_id:
        raise BadUserInput(
            "input.toCategoryId", "must be another category than input.fromCategoryId"
        )
    await rows.lock_user(session, user_id)
    source = await category_service.require_category(session, user_id, from_category_id)
    target = await category_service.require_category(session, user_id, to_category_id)
    _check_budgeted_kind(source, "input.fromCategoryId")
    _check_budgeted_kind(target, "input.toCategoryId")
    view = await month_view.budget_month(session, user_id, str(period), "input.month")
    moved = Money.parse(amount, view.currency, "input.amount")
    if moved.minor <= 0:
        raise BadUserInput("input.amount", "must be more than zero")
    line = view.line_of(source.id)
    available = line.available if line is not None else Money.zero(view.currency)
    if moved > available:
        raise BadUserInput(
            "input.amount",
            f"is more than the {available.amount} {view.currency} {source.name} has "
            f"available in {period}",
        )
    taken = await _budget_to_change(session, user_id, source, period, view.currency)
    given = await _budget_to_change(session, user_id, target, period, view.currency)
    taken.amount_minor -= moved.minor
    given.amount_minor += moved.minor
    await session.flush()
    reports = {r.budget_id: r for r in await _budget_reports(session, user_id, [period])}
    return Move(source=reports[taken.id], target=reports[given.id])


async def _budget_to_change(
    session: AsyncSession, user_id: uuid.UUID, category: Category, period: Month, currency: str
) -> Budget:
    """The category's budget of the month in `currency`, made (at zero) if there is none."""
    budget = await repository.budget_for(session, user_id, category.id, str(period))
    if budget is None:
        budget = Budget(user_id=user_id, category_id=category.id, month=str(period))
        rows.add(session, budget)
        budget.amount_minor = 0
    elif budget.currency != currency:
        budget.amount_minor = 0  # set in an earlier base currency, it counted as nothing
    budget.currency = currency
    return budget


def _check_budgeted_kind(category: Category, field: str) -> None:
    if category.kind != CATEGORY_KIND_EXPENSE:
        raise BadUserInput(
            field, f"is a category of kind {category.kind}: only expense categories are budgeted"
        )
