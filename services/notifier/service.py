"""The notifier's rules: alert rules, evaluating them on ledger changes, notifications, delivery.

Functions take a session or a unit of work and never commit.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from services.ledger import api as ledger
from services.notifier import repository, wording
from services.notifier.delivery import service as delivery
from services.notifier.inbox.service import NotificationView
from services.notifier.models import AlertRule
from services.notifier.rules import repository as rules_repository
from services.notifier.rules.service import AlertKind
from shared.clock import utcnow
from shared.db import UnitOfWork
from shared.logging import get_logger
from shared.money import Money

log = get_logger(__name__)

# The ledger may announce a whole bank history at once; ask for it in bounded batches.
TRANSACTION_BATCH = 500
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


# --- evaluation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TransactionsChanged:
    """The ledger's announcement, parsed: which transactions and months changed for whom."""

    user_id: uuid.UUID
    transaction_ids: tuple[uuid.UUID, ...]
    months: tuple[str, ...]

    @classmethod
    def parse(
        cls, user_id: str, transaction_ids: Sequence[str], months: Sequence[str]
    ) -> TransactionsChanged:
        """Raises ValueError on a malformed announcement (retrying would not help)."""
        bad_months = [month for month in months if not _MONTH.match(month)]
        if bad_months:
            raise ValueError(f"months must be YYYY-MM: {bad_months[:3]!r}")
        return cls(
            user_id=uuid.UUID(user_id),
            transaction_ids=tuple(dict.fromkeys(uuid.UUID(text) for text in transaction_ids)),
            months=tuple(sorted(set(months))),
        )


@dataclass(frozen=True)
class _Alert:
    rule: AlertRule
    dedupe_key: str
    text: wording.Wording


def _overspent_rule(rules: Sequence[AlertRule], category_id: uuid.UUID) -> AlertRule | None:
    """The most specific enabled rule for the category: its own, else the all-budgets one."""
    for scope in (category_id, None):
        for rule in rules:
            if rule.category_id == scope:
                return rule
    return None


def _large_transaction_rule(
    rules: Sequence[AlertRule], transaction: ledger.TransactionView
) -> AlertRule | None:
    """The most specific, highest threshold the money out reaches (same currency), if any."""
    if transaction.amount.minor >= 0:
        return None
    out = -transaction.amount.minor
    reached = [
        r
        for r in rules
        if r.threshold_currency == transaction.amount.currency
        and r.threshold_minor is not None
        and out >= r.threshold_minor
        and r.category_id in (None, transaction.category_id)
    ]
    if not reached:
        return None
    return max(reached, key=lambda r: (r.category_id is not None, r.threshold_minor or 0))


async def _overspending_alerts(
    work: UnitOfWork, change: TransactionsChanged, rules: Sequence[AlertRule]
) -> list[_Alert]:
    if not rules or not change.months:
        return []
    alerts = []
    for status in await ledger.budget_statuses(work, change.user_id, change.months):
        if status.spent.currency != status.amount.currency:
            log.warning("budget_currency_mismatch", budget_id=str(status.budget_id))
            continue
        if status.spent.minor <= status.amount.minor:
            continue
        rule = _overspent_rule(rules, status.category_id)
        if rule is None:
            continue
        alerts.append(
            _Alert(
                rule=rule,
                dedupe_key=f"{AlertKind.BUDGET_OVERSPENT}:{status.category_id.hex}:{status.month}",
                text=wording.budget_overspent(
                    status.category_name, status.month, status.amount, status.spent
                ),
            )
        )
    return alerts


async def _large_transaction_alerts(
    work: UnitOfWork, change: TransactionsChanged, rules: Sequence[AlertRule]
) -> list[_Alert]:
    if not rules or not change.transaction_ids:
        return []
    alerts = []
    ids = change.transaction_ids
    for start in range(0, len(ids), TRANSACTION_BATCH):
        batch = ids[start : start + TRANSACTION_BATCH]
        for transaction in await ledger.transactions_by_ids(work, change.user_id, batch):
            rule = _large_transaction_rule(rules, transaction)
            if rule is None or rule.threshold_minor is None or rule.threshold_currency is None:
                continue
            threshold = Money(rule.threshold_minor, rule.threshold_currency)
            alerts.append(
                _Alert(
                    rule=rule,
                    dedupe_key=f"{AlertKind.LARGE_TRANSACTION}:{transaction.id.hex}",
                    text=wording.large_transaction(
                        transaction.description,
                        transaction.date,
                        transaction.amount,
                        threshold,
                        transaction.pending,
                    ),
                )
            )
    return alerts


async def evaluate_transactions_changed(
    work: UnitOfWork, change: TransactionsChanged
) -> list[NotificationView]:
    """Evaluate the user's enabled rules against a change; store the new notifications.

    Idempotent: each alert has a dedupe key unique per user (a category's month, a
    transaction), so a retried or concurrent evaluation stores nothing twice. Live and email
    delivery of what is new are scheduled for after the commit. Returns what is new.
    """
    enabled = await rules_repository.rules(work.session, change.user_id, enabled_only=True)
    if not enabled:
        return []
    alerts = await _overspending_alerts(
        work, change, [r for r in enabled if r.kind == AlertKind.BUDGET_OVERSPENT]
    )
    alerts += await _large_transaction_alerts(
        work, change, [r for r in enabled if r.kind == AlertKind.LARGE_TRANSACTION]
    )
    created = []
    for alert in alerts:
        view = NotificationView(
            id=uuid.uuid4(),
            kind=alert.rule.kind,
            title=alert.text.title,
            body=alert.text.body,
            created_at=utcnow(),
            read_at=None,
        )
        inserted = await repository.insert_notification_if_absent(
            work.session,
            {
                "id": view.id,
                "user_id": change.user_id,
                "rule_id": alert.rule.id,
                "kind": view.kind,
                "dedupe_key": alert.dedupe_key,
                "title": view.title,
                "body": view.body,
                "created_at": view.created_at,
            },
        )
        if inserted:
            created.append(view)
    if created:
        delivery.deliver_after_commit(work, change.user_id, created)
    return created
