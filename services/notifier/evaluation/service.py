"""Evaluating the user's enabled alert rules when the ledger announces changed transactions.

Functions take a unit of work and never commit.
"""

from __future__ import annotations

import uuid

from services.notifier.delivery import service as delivery
from services.notifier.evaluation import budget_overspent, large_transaction, repository
from services.notifier.evaluation.alert import Alert, Evaluation, Evaluator
from services.notifier.evaluation.announcement import TransactionsChanged
from services.notifier.inbox.service import NotificationView
from services.notifier.recipients import service as recipients
from services.notifier.rules import service as rules
from services.notifier.rules.service import AlertKind
from shared.clock import today, utcnow
from shared.db import UnitOfWork

# Each kind's evaluator, in the order their alerts are stored.
EVALUATORS: tuple[tuple[AlertKind, Evaluator], ...] = (
    (AlertKind.BUDGET_OVERSPENT, budget_overspent.alerts),
    (AlertKind.LARGE_TRANSACTION, large_transaction.alerts),
)


async def evaluate_transactions_changed(
    work: UnitOfWork, change: TransactionsChanged
) -> list[NotificationView]:
    """Evaluate the user's enabled rules against a change; store the new notifications.

    Idempotent: each alert has a dedupe key unique per user (a category's month, a
    transaction), so a retried or concurrent evaluation stores nothing twice. Live and email
    delivery of what is new are scheduled for after the commit. Returns what is new.
    """
    enabled = await rules.enabled_rules(work.session, change.user_id)
    if not enabled:
        return []
    their_today = today(await recipients.time_zone(work.session, change.user_id))
    alerts: list[Alert] = []
    for kind, evaluate in EVALUATORS:
        rules_of_kind = [rule for rule in enabled if rule.kind == kind]
        alerts += await evaluate(work, Evaluation(change, rules_of_kind, their_today))
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
        await delivery.deliver_after_commit(work, change.user_id, created)
    return created
