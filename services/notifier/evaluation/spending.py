"""UNUSUAL_SPENDING and NEW_MERCHANT, on the ledger's announcements.

UNUSUAL_SPENDING: a category's net spending in a month at or above `factor` times its monthly
average over the `trailingMonths` months before (which must have some spending), alerted once
per category and month. Only this month and the last are judged: an import of old history is
not news.

NEW_MERCHANT: money out to a payee the user never had a transaction with before, alerted once
per payee. Only transactions of the last NEW_MERCHANT_DAYS days count (a first bank sync
brings months of "first" transactions)."""

from __future__ import annotations

import calendar
import uuid
from datetime import date, timedelta
from decimal import Decimal

from services.ledger import api as ledger
from services.notifier.evaluation import wording
from services.notifier.evaluation.alert import Alert, Evaluation, money_fact
from services.notifier.rules.service import AlertKind
from shared.db import UnitOfWork
from shared.ids import encode_id
from shared.money import Money

NEW_MERCHANT_DAYS = 7


def _month_start(month: str, shift: int = 0) -> date:
    year, number = (int(part) for part in month.split("-"))
    index = year * 12 + (number - 1) + shift
    return date(index // 12, index % 12 + 1, 1)


def _month_text(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


async def unusual_alerts(work: UnitOfWork, evaluation: Evaluation) -> list[Alert]:
    change, rules = evaluation.change, evaluation.rules
    this_month = _month_text(evaluation.today)
    last_month = _month_text(_month_start(this_month, -1))
    months = [month for month in change.months if month in (last_month, this_month)]
    if not rules or not months:
        return []
    longest = max(rule.parameters.trailing_months or 1 for rule in rules)
    spending = await ledger.category_spending_by_month(
        work,
        change.user_id,
        _month_start(months[0], -longest),
        min(_month_end(_month_start(months[-1])), evaluation.today),
    )
    spent: dict[tuple[str, uuid.UUID], Money] = {}
    names: dict[uuid.UUID, str] = {}
    for row in spending:
        spent[(row.month, row.category_id)] = row.spent
        names[row.category_id] = row.category_name
    found = []
    for month in months:
        for category_id, name in sorted(names.items(), key=lambda item: item[1]):
            now = spent.get((month, category_id))
            if now is None:
                continue
            for rule in rules:
                if not rule.covers(category_id=category_id):
                    continue
                trailing = rule.parameters.trailing_months or 1
                before = [
                    spent.get((_month_text(_month_start(month, -n)), category_id))
                    for n in range(1, trailing + 1)
                ]
                total = sum(m.minor for m in before if m is not None and m.currency == now.currency)
                if total <= 0:
                    continue
                factor = rule.parameters.factor or Decimal(2)
                # now >= factor * (total / trailing), exactly: now * trailing >= factor * total.
                if Decimal(now.minor * trailing) < factor * total:
                    continue
                average = Money(total // trailing, now.currency)
                found.append(
                    Alert(
                        rule=rule,
                        dedupe_key=f"{AlertKind.UNUSUAL_SPENDING}:{category_id.hex}:{month}",
                        text=wording.unusual_spending(name, month, now, average, trailing),
                        data={
                            "categoryId": encode_id("Category", category_id),
                            "month": month,
                            "spent": money_fact(now),
                            "monthlyAverage": money_fact(average),
                            "factor": str(factor),
                        },
                    )
                )
                break  # one alert per category and month, whichever rule saw it first
    return found


async def new_merchant_alerts(work: UnitOfWork, evaluation: Evaluation) -> list[Alert]:
    change, rules = evaluation.change, evaluation.rules
    if not rules or not change.transaction_ids:
        return []
    since = evaluation.today - timedelta(days=NEW_MERCHANT_DAYS)
    candidates = [
        t
        for t in await evaluation.changed_transactions(work)
        if t.payee_id is not None
        and t.amount.minor < 0
        and not t.is_transfer
        and t.date >= since
        and any(rule.covers(account_id=t.account_id) for rule in rules)
    ]
    if not candidates:
        return []
    first_seen = await ledger.payees_first_seen(
        work, change.user_id, sorted({t.payee_id for t in candidates if t.payee_id})
    )
    found = []
    for transaction in sorted(candidates, key=lambda t: (t.date, t.id)):
        payee = transaction.payee_id
        if payee is None or first_seen.get(payee) != transaction.date:
            continue
        rule = next(r for r in rules if r.covers(account_id=transaction.account_id))
        found.append(
            Alert(
                rule=rule,
                dedupe_key=f"{AlertKind.NEW_MERCHANT}:{payee.hex}",
                text=wording.new_merchant(
                    transaction.payee_name or transaction.description,
                    transaction.amount,
                    transaction.date,
                    today=evaluation.today,
                ),
                data={
                    "payeeId": encode_id("Payee", payee),
                    "transactionId": encode_id("Transaction", transaction.id),
                    "amount": money_fact(transaction.amount),
                    "date": transaction.date.isoformat(),
                },
            )
        )
    return found
