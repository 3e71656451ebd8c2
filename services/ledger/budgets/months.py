"""How a month of budgeting adds up, in both styles: pure arithmetic on integer minor units,
from what was budgeted and spent per category and month (the service reads those with one
aggregate query each, whatever the length of the history).

For a category and month: `available = budgeted + carried - spent`, where `spent` is the net
money out (refunds reduce it) and `carried` is what the previous month passes on:

- LIMITS: nothing carries, unless the category has rollover; then the previous month's
  available carries whole, unspent (positive) or overspent (negative), month after month,
  from the first month the category was budgeted (before it, nothing carries).
- ENVELOPE: the previous month's available carries when positive; when negative (overspent)
  the category starts the next month at zero and the overspending is taken from ready to
  assign instead. Ready to assign for a month = income up to and including that month -
  everything assigned up to and including that month - all overspending of earlier months.

A month without a budget row budgets zero and still passes its carry on.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from services.ledger.models import BUDGET_STYLE_ENVELOPE, BUDGET_STYLE_LIMITS

# A month as a number that counts on by one each month: year * 12 + (month - 1).
MonthIndex = int
Key = tuple[uuid.UUID, MonthIndex]


def month_index(year: int, month: int) -> MonthIndex:
    return year * 12 + month - 1


@dataclass(frozen=True)
class LineFigures:
    budgeted: int
    carried: int
    spent: int

    @property
    def available(self) -> int:
        return self.budgeted + self.carried - self.spent


@dataclass(frozen=True)
class MonthFigures:
    lines: dict[uuid.UUID, LineFigures]
    # ENVELOPE: overspending of every month before this one (taken from ready to assign).
    overspent_before: int
    # ENVELOPE: assigned in every month up to and including this one.
    assigned_to_date: int


def month_figures(
    style: str,
    month: MonthIndex,
    rollover: Mapping[uuid.UUID, bool],
    budgeted: Mapping[Key, int],
    spent: Mapping[Key, int],
) -> MonthFigures:
    """The lines of `month` for the categories in `rollover` (each with its LIMITS flag), from
    the amounts budgeted and spent per (category, month) up to `month`."""
    if style not in (BUDGET_STYLE_LIMITS, BUDGET_STYLE_ENVELOPE):
        raise ValueError(f"unknown budget style {style!r}")
    active: defaultdict[uuid.UUID, set[MonthIndex]] = defaultdict(set)
    for category_id, index in (*budgeted, *spent):
        if index <= month:
            active[category_id].add(index)
    lines, overspent_before, assigned = {}, 0, 0
    for category_id, rolls in rollover.items():
        history = sorted(active[category_id])
        if style == BUDGET_STYLE_ENVELOPE:
            carried, overspent = _envelope_carry(category_id, history, month, budgeted, spent)
            overspent_before += overspent
            assigned += sum(budgeted.get((category_id, index), 0) for index in history)
        elif rolls:
            carried = _rollover_carry(category_id, history, month, budgeted, spent)
        else:
            carried = 0
        lines[category_id] = LineFigures(
            budgeted=budgeted.get((category_id, month), 0),
            carried=carried,
            spent=spent.get((category_id, month), 0),
        )
    return MonthFigures(lines, overspent_before, assigned)


def _rollover_carry(
    category_id: uuid.UUID,
    history: Sequence[MonthIndex],
    month: MonthIndex,
    budgeted: Mapping[Key, int],
    spent: Mapping[Key, int],
) -> int:
    """LIMITS with rollover: what reaches `month`. A month with nothing budgeted or spent
    passes its carry on unchanged, so only the months with activity need adding."""
    first_budgeted = next((i for i in history if (category_id, i) in budgeted), None)
    if first_budgeted is None:
        return 0
    carried = 0
    for index in history:
        if first_budgeted <= index < month:
            carried += budgeted.get((category_id, index), 0) - spent.get((category_id, index), 0)
    return carried


def _envelope_carry(
    category_id: uuid.UUID,
    history: Sequence[MonthIndex],
    month: MonthIndex,
    budgeted: Mapping[Key, int],
    spent: Mapping[Key, int],
) -> tuple[int, int]:
    """ENVELOPE: what reaches `month`, and the overspending of the months before it. A month
    with no activity keeps a positive available as it is (and cannot be overspent), so only
    the months with activity matter."""
    carried, overspent = 0, 0
    for index in history:
        if index >= month:
            break
        available = carried + budgeted.get((category_id, index), 0)
        available -= spent.get((category_id, index), 0)
        if available < 0:
            overspent -= available
        carried = max(available, 0)
    return carried, overspent
