"""Evaluating the user's enabled (and not snoozed) alert rules: when the ledger announces
changed transactions, when the sync service announces a bank connection needing attention,
and on the scheduler's pass (the kinds a clock drives).

Functions take a unit of work and never commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from services.notifier.delivery import service as delivery
from services.notifier.evaluation import (
    bank_connection,
    bills,
    budget_overspent,
    budget_threshold,
    goals,
    large_transaction,
    low_balance,
    repository,
    spending,
    weekly_summary,
)
from services.notifier.evaluation.alert import (
    Alert,
    ChangedTransactions,
    Evaluation,
    Evaluator,
    ScheduledEvaluation,
    ScheduledEvaluator,
)
from services.notifier.evaluation.announcement import BankConnectionChanged, TransactionsChanged
from services.notifier.inbox.service import NotificationView
from services.notifier.queue import QUEUE, SCHEDULED_ALERTS_ACTOR
from services.notifier.recipients import service as recipients
from services.notifier.rules import service as rules
from services.notifier.rules.kinds import SCHEDULED_KINDS
from services.notifier.rules.service import AlertKind, AlertRuleView
from shared.clock import today, utcnow
from shared.db import UnitOfWork, read_session, unit_of_work
from shared.logging import get_logger
from shared.messaging import message, send_after_commit

log = get_logger(__name__)

# Each kind's evaluator of an announcement, in the order their alerts are stored.
EVALUATORS: tuple[tuple[AlertKind, Evaluator], ...] = (
    (AlertKind.BUDGET_OVERSPENT, budget_overspent.alerts),
    (AlertKind.BUDGET_THRESHOLD, budget_threshold.alerts),
    (AlertKind.LARGE_TRANSACTION, large_transaction.alerts),
    (AlertKind.LOW_BALANCE, low_balance.alerts),
    (AlertKind.GOAL_MILESTONE, goals.milestone_alerts),
    (AlertKind.BILL_LARGER_THAN_USUAL, bills.larger_alerts),
    (AlertKind.UNUSUAL_SPENDING, spending.unusual_alerts),
    (AlertKind.NEW_MERCHANT, spending.new_merchant_alerts),
)

# Each kind's evaluator on the scheduler's pass (rules.kinds.SCHEDULED_KINDS).
SCHEDULED_EVALUATORS: tuple[tuple[AlertKind, ScheduledEvaluator], ...] = (
    (AlertKind.LOW_BALANCE, low_balance.scheduled_alerts),
    (AlertKind.GOAL_MILESTONE, goals.scheduled_milestone_alerts),
    (AlertKind.GOAL_BEHIND, goals.behind_alerts),
    (AlertKind.BILL_DUE, bills.due_alerts),
    (AlertKind.WEEKLY_SUMMARY, weekly_summary.alerts),
)


def _of_kind(enabled: Sequence[AlertRuleView], kind: AlertKind) -> list[AlertRuleView]:
    return [rule for rule in enabled if rule.kind == kind]


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
    transactions = ChangedTransactions(change)
    alerts: list[Alert] = []
    for kind, evaluate in EVALUATORS:
        rules_of_kind = _of_kind(enabled, kind)
        if rules_of_kind:
            alerts += await evaluate(
                work, Evaluation(change, rules_of_kind, their_today, transactions)
            )
    return await _store(work, change.user_id, alerts)


async def evaluate_scheduled(
    work: UnitOfWork, user_id: uuid.UUID, now: datetime | None = None
) -> list[NotificationView]:
    """Evaluate the user's enabled rules of the kinds a clock drives (bills due, goals,
    low balances, the weekly summary) at `now` (default: now), in the user's time zone;
    store what is new, once per dedupe key, and deliver it after commit."""
    moment = now or utcnow()
    enabled = await rules.enabled_rules(work.session, user_id, moment)
    if not any(rule.kind in SCHEDULED_KINDS for rule in enabled):
        return []
    zone = await recipients.time_zone(work.session, user_id)
    their_today = moment.astimezone(ZoneInfo(zone)).date()
    alerts: list[Alert] = []
    for kind, evaluate in SCHEDULED_EVALUATORS:
        rules_of_kind = _of_kind(enabled, kind)
        if rules_of_kind:
            alerts += await evaluate(
                work, ScheduledEvaluation(user_id, rules_of_kind, their_today, moment)
            )
    return await _store(work, user_id, alerts)


async def evaluate_bank_connection(
    work: UnitOfWork, change: BankConnectionChanged
) -> list[NotificationView]:
    """Tell the user a linked bank needs them, if one of their rules asks (once per item,
    status and day)."""
    enabled = await rules.enabled_rules(work.session, change.user_id)
    found = bank_connection.alerts(change, _of_kind(enabled, AlertKind.BANK_CONNECTION_ATTENTION))
    return await _store(work, change.user_id, found)


async def enqueue_scheduled_alerts(now: datetime | None = None) -> int:
    """The scheduler's pass: queue an evaluation of the clock-driven kinds for everyone with
    such a rule (not snoozed), as of `now` (default: now), in one transaction; how many.
    Each user's evaluation runs on the notifier's workers (SCHEDULED_ALERTS_ACTOR), and a
    pass repeated, or run by two schedulers, raises nothing twice (the dedupe keys)."""
    moment = now or utcnow()
    async with read_session() as session:
        users = await rules.users_with_scheduled_rules(session, moment)
    if not users:
        return 0
    async with unit_of_work() as work:
        for user_id in users:
            send_after_commit(
                work,
                message(QUEUE, SCHEDULED_ALERTS_ACTOR, user_id=str(user_id), at=moment.isoformat()),
            )
    return len(users)


async def _store(
    work: UnitOfWork, user_id: uuid.UUID, alerts: Sequence[Alert]
) -> list[NotificationView]:
    """Store each alert unless its dedupe key is taken; deliver the new ones after commit."""
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
                "user_id": user_id,
                "rule_id": alert.rule.id,
                "kind": view.kind,
                "dedupe_key": alert.dedupe_key,
                "title": view.title,
                "body": view.body,
                "created_at": view.created_at,
                "data": alert.data or None,
            },
        )
        if inserted:
            created.append(view)
    if created:
        await delivery.deliver_after_commit(work, user_id, created)
        log.info("alerts_raised", user_id=str(user_id), kinds=sorted({n.kind for n in created}))
    return created
