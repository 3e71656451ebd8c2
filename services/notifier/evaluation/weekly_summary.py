"""WEEKLY_SUMMARY (on the scheduler's pass): last week's money in and out and where most of it
went, once per ISO week, on the first pass of the following week where the user lives
(Monday just after midnight, with a scheduler that runs every few minutes)."""

from __future__ import annotations

from datetime import timedelta

from services.ledger import api as ledger
from services.notifier.evaluation import wording
from services.notifier.evaluation.alert import Alert, ScheduledEvaluation, money_fact
from services.notifier.rules.service import AlertKind
from shared.db import UnitOfWork


async def alerts(work: UnitOfWork, evaluation: ScheduledEvaluation) -> list[Alert]:
    if not evaluation.rules:
        return []
    this_monday = evaluation.today - timedelta(days=evaluation.today.weekday())
    first, last = this_monday - timedelta(days=7), this_monday - timedelta(days=1)
    year, week, _ = first.isocalendar()
    flow = await ledger.money_flow(work, evaluation.user_id, first, last)
    return [
        Alert(
            rule=evaluation.rules[0],  # the kind takes no parameters: one speaks for all
            dedupe_key=f"{AlertKind.WEEKLY_SUMMARY}:{year:04d}-W{week:02d}",
            text=wording.weekly_summary(
                first, last, flow.money_in, flow.money_out, flow.top_spending
            ),
            data={
                "from": first.isoformat(),
                "to": last.isoformat(),
                "moneyIn": money_fact(flow.money_in),
                "moneyOut": money_fact(flow.money_out),
                "topSpending": [
                    {"category": name, "amount": money_fact(amount)}
                    for name, amount in flow.top_spending
                ],
            },
        )
    ]
