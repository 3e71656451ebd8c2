"""BILL_DUE and BILL_LARGER_THAN_USUAL, from the ledger's recurring series.

BILL_DUE (on the scheduler's pass): a payment a confirmed series expects within the rule's
`daysAhead` days of the user's today, alerted once per series and due date.

BILL_LARGER_THAN_USUAL (on announcements): a new transaction of a series larger in size than
its usual range and expected amount, alerted once per transaction."""

from __future__ import annotations

from datetime import timedelta

from services.ledger import api as ledger
from services.notifier.evaluation import wording
from services.notifier.evaluation.alert import Alert, Evaluation, ScheduledEvaluation, money_fact
from services.notifier.rules.service import AlertKind
from shared.db import UnitOfWork
from shared.ids import encode_id


async def due_alerts(work: UnitOfWork, evaluation: ScheduledEvaluation) -> list[Alert]:
    rules = evaluation.rules
    if not rules:
        return []
    # One read for every rule: as far ahead as the farthest-looking one.
    horizon = max(rule.parameters.days_ahead or 0 for rule in rules)
    bills = await ledger.upcoming_bills(
        work, evaluation.user_id, horizon + 1, today=evaluation.today
    )
    found = []
    for bill in bills:
        days_left = (bill.date - evaluation.today).days
        # The rule looking least far ahead that still sees it speaks for it.
        seeing = [rule for rule in rules if days_left <= (rule.parameters.days_ahead or 0)]
        if not seeing:
            continue
        rule = min(seeing, key=lambda r: r.parameters.days_ahead or 0)
        found.append(
            Alert(
                rule=rule,
                dedupe_key=f"{AlertKind.BILL_DUE}:{bill.series.id.hex}:{bill.date.isoformat()}",
                text=wording.bill_due(
                    bill.series.name, bill.date, bill.expected, today=evaluation.today
                ),
                data={
                    "seriesId": encode_id("RecurringSeries", bill.series.id),
                    "dueDate": bill.date.isoformat(),
                    "expected": money_fact(bill.expected),
                },
            )
        )
    return found


# A bill recorded long ago (a history import) is news to no one.
RECENT_BILL_DAYS = 31


async def larger_alerts(work: UnitOfWork, evaluation: Evaluation) -> list[Alert]:
    change, rules = evaluation.change, evaluation.rules
    if not rules or not change.transaction_ids:
        return []
    transactions = await evaluation.changed_transactions(work)
    recent = [
        t
        for t in transactions
        if t.date >= evaluation.today - timedelta(days=RECENT_BILL_DAYS)
        and any(rule.covers(account_id=t.account_id) for rule in rules)
    ]
    if not recent:
        return []
    series = await ledger.recurring_series_of_transactions(
        work, change.user_id, [t.id for t in recent]
    )
    found = []
    for transaction in recent:
        of = series.get(transaction.id)
        if of is None or not of.is_larger_than_usual(transaction.amount):
            continue
        rule = next(r for r in rules if r.covers(account_id=transaction.account_id))
        found.append(
            Alert(
                rule=rule,
                dedupe_key=f"{AlertKind.BILL_LARGER_THAN_USUAL}:{transaction.id.hex}",
                text=wording.bill_larger_than_usual(
                    of.name, transaction.amount, of.expected, of.largest
                ),
                data={
                    "transactionId": encode_id("Transaction", transaction.id),
                    "seriesId": encode_id("RecurringSeries", of.id),
                    "amount": money_fact(transaction.amount),
                    "expected": money_fact(of.expected),
                    "largest": money_fact(of.largest),
                },
            )
        )
    return found
