"""BUDGET_OVERSPENT: a category's month spent beyond its budget, alerted once per month."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from services.ledger import api as ledger
from services.notifier.evaluation import wording
from services.notifier.evaluation.alert import Alert, Evaluation
from services.notifier.rules.service import AlertKind, AlertRuleView
from shared.db import UnitOfWork
from shared.logging import get_logger

log = get_logger(__name__)


def _rule_for(rules: Sequence[AlertRuleView], category_id: uuid.UUID) -> AlertRuleView | None:
    """The most specific enabled rule for the category: its own, else the all-budgets one."""
    for scope in (category_id, None):
        for rule in rules:
            if rule.category_id == scope:
                return rule
    return None


async def alerts(work: UnitOfWork, evaluation: Evaluation) -> list[Alert]:
    change, rules = evaluation.change, evaluation.rules
    if not rules or not change.months:
        return []
    found = []
    for status in await ledger.budget_statuses(work, change.user_id, change.months):
        if status.spent.currency != status.amount.currency:
            log.warning("budget_currency_mismatch", budget_id=str(status.budget_id))
            continue
        if status.spent.minor <= status.amount.minor:
            continue
        rule = _rule_for(rules, status.category_id)
        if rule is None:
            continue
        found.append(
            Alert(
                rule=rule,
                dedupe_key=f"{AlertKind.BUDGET_OVERSPENT}:{status.category_id.hex}:{status.month}",
                text=wording.budget_overspent(
                    status.category_name, status.month, status.amount, status.spent
                ),
            )
        )
    return found
