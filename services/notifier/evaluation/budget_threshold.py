"""BUDGET_THRESHOLD: a category's month (or the whole month's budgets together) reaching a
percent of its budget, alerted once per category (or month), month and percent.

Only the highest percent reached is raised: spending that jumps from 50% to 110% at once
says "100%", not "80%" and "100%"."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from services.ledger import api as ledger
from services.notifier.evaluation import wording
from services.notifier.evaluation.alert import Alert, Evaluation, money_fact
from services.notifier.rules.service import AlertKind, AlertRuleView
from shared.db import UnitOfWork
from shared.money import Money


def highest_reached(percents: Sequence[int], spent: Money, amount: Money) -> int | None:
    """The highest percent of `amount` that `spent` reaches (exact, in minor units)."""
    if amount.minor <= 0 or spent.currency != amount.currency:
        return None
    reached = [p for p in percents if spent.minor * 100 >= amount.minor * p]
    return max(reached) if reached else None


def _alert(
    rule: AlertRuleView,
    subject: str,
    category: str | None,
    status_month: str,
    amount: Money,
    spent: Money,
) -> Alert | None:
    percent = highest_reached(rule.parameters.percents or (), spent, amount)
    if percent is None:
        return None
    return Alert(
        rule=rule,
        dedupe_key=f"{AlertKind.BUDGET_THRESHOLD}:{subject}:{status_month}:{percent}",
        text=wording.budget_threshold(category, status_month, percent, amount, spent),
        data={
            "month": status_month,
            "percent": percent,
            "budget": money_fact(amount),
            "spent": money_fact(spent),
        },
    )


async def alerts(work: UnitOfWork, evaluation: Evaluation) -> list[Alert]:
    change, rules = evaluation.change, evaluation.rules
    if not rules or not change.months:
        return []
    statuses = await ledger.budget_statuses(work, change.user_id, change.months)
    found = []
    for rule in rules:
        if rule.category_id is not None:
            for status in statuses:
                if status.category_id != rule.category_id:
                    continue
                alert = _alert(
                    rule,
                    status.category_id.hex,
                    status.category_name,
                    status.month,
                    status.amount,
                    status.spent,
                )
                if alert is not None:
                    found.append(alert)
            continue
        # The whole month: every budget of the month together (those in one currency).
        budgeted: defaultdict[str, list[ledger.BudgetStatus]] = defaultdict(list)
        for status in statuses:
            budgeted[status.month].append(status)
        for month, of_month in sorted(budgeted.items()):
            currency = of_month[0].amount.currency
            same = [s for s in of_month if s.amount.currency == currency == s.spent.currency]
            amount = sum((s.amount for s in same), Money.zero(currency))
            spent = sum((s.spent for s in same), Money.zero(currency))
            alert = _alert(rule, "month", None, month, amount, spent)
            if alert is not None:
                found.append(alert)
    return found
