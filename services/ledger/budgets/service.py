"""Budgets: one amount per category and month, reported with what was spent in it."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger import rows
from services.ledger.budgets import repository
from services.ledger.categories import service as category_service
from services.ledger.currencies import service as currency_service
from services.ledger.currencies.conversion import Figures, MissingRate, MissingRates, count_in
from services.ledger.models import Budget
from services.ledger.periods import Month, month_of
from shared.db import UnitOfWork
from shared.errors import BadUserInput, NotFound
from shared.money import Money


@dataclass(frozen=True)
class BudgetReport:
    budget_id: uuid.UUID
    category_id: uuid.UUID
    category_name: str
    month: str
    amount: Money
    spent: Money
    # Transactions of the category and month that `spent` leaves out: they wait for a rate
    # into the budget's currency.
    missing_rates: tuple[MissingRate, ...] = ()

    @property
    def remaining(self) -> Money:
        return self.amount - self.spent


async def set_budget(
    work: UnitOfWork, user_id: uuid.UUID, *, category_id: uuid.UUID, month: str, amount: Decimal
) -> BudgetReport:
    """One amount per category and month, in the base currency: setting it again replaces it
    (and states it in the base currency of the day)."""
    session = work.session
    period = Month.parse(month, "input.month")
    category = await category_service.require_category(session, user_id, category_id)
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
    sums_by_day = await repository.sums_by_category_and_day(
        session,
        user_id,
        periods[0].first_day,
        periods[-1].last_day,
        category_ids=sorted({budget.category_id for budget, _ in budgets}),
    )
    # Spending is negative, refunds positive: the net, per (category, month), in each
    # currency's figures, counted in the budget's currency.
    figures: defaultdict[tuple[uuid.UUID, str], list[Figures]] = defaultdict(list)
    for category_id, day, sums in sums_by_day:
        figures[(category_id, month_of(day))].append(sums)
    reports = []
    for budget, name in budgets:
        missing = MissingRates()
        net = count_in(budget.currency, figures[(budget.category_id, budget.month)], missing)
        reports.append(
            BudgetReport(
                budget_id=budget.id,
                category_id=budget.category_id,
                category_name=name,
                month=budget.month,
                amount=Money(budget.amount_minor, budget.currency),
                spent=Money(-net, budget.currency),
                missing_rates=tuple(missing.listed()),
            )
        )
    return reports


async def budget_report(
    session: AsyncSession, user_id: uuid.UUID, budget_id: uuid.UUID
) -> BudgetReport:
    """One of the user's budgets with what was spent; NOT_FOUND for anyone else's."""
    budget = await repository.budget_for_user(session, user_id, budget_id)
    if budget is None:
        raise NotFound("Budget")
    reports = await _budget_reports(session, user_id, [Month.parse(budget.month, "id")])
    return next(report for report in reports if report.budget_id == budget_id)
