"""GOAL_MILESTONE and GOAL_BEHIND, from the goals' progress as the ledger reports it.

GOAL_MILESTONE: a goal reaching a percent of its target (25/50/75/100 by default), alerted
once per goal and percent; only the highest percent reached is raised (a goal funded at once
says "reached", not four things). Checked on announcements (account- and category-funded
goals move with transactions) and on the scheduler's pass (contributions).

GOAL_BEHIND: an active goal with a target date whose projection falls after it (or that has
no pace at all), alerted once per goal and month while it stays behind."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from services.ledger import api as ledger
from services.notifier.evaluation import wording
from services.notifier.evaluation.alert import Alert, Evaluation, ScheduledEvaluation, money_fact
from services.notifier.rules.service import AlertKind, AlertRuleView
from shared.db import UnitOfWork
from shared.ids import encode_id

PACE_BEHIND = "behind"


def _facts(goal: ledger.GoalProgressView) -> dict[str, object]:
    return {
        "goalId": encode_id("Goal", goal.id),
        "saved": money_fact(goal.saved),
        "target": money_fact(goal.target),
    }


def _milestones(
    rules: Sequence[AlertRuleView], goals: Sequence[ledger.GoalProgressView]
) -> list[Alert]:
    found = []
    for rule in rules:
        for goal in goals:
            if goal.target.minor <= 0 or goal.saved.currency != goal.target.currency:
                continue
            reached = [
                p
                for p in rule.parameters.percents or ()
                if goal.saved.minor * 100 >= goal.target.minor * p
            ]
            if not reached:
                continue
            percent = max(reached)
            found.append(
                Alert(
                    rule=rule,
                    dedupe_key=f"{AlertKind.GOAL_MILESTONE}:{goal.id.hex}:{percent}",
                    text=wording.goal_milestone(goal.name, percent, goal.saved, goal.target),
                    data={**_facts(goal), "percent": percent},
                )
            )
    return found


async def milestone_alerts(work: UnitOfWork, evaluation: Evaluation) -> list[Alert]:
    if not evaluation.rules or not evaluation.change.transaction_ids:
        return []
    goals = await ledger.goal_progress(work, evaluation.change.user_id, today=evaluation.today)
    return _milestones(evaluation.rules, goals)


async def scheduled_milestone_alerts(
    work: UnitOfWork, evaluation: ScheduledEvaluation
) -> list[Alert]:
    if not evaluation.rules:
        return []
    goals = await ledger.goal_progress(work, evaluation.user_id, today=evaluation.today)
    return _milestones(evaluation.rules, goals)


def _month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


async def behind_alerts(work: UnitOfWork, evaluation: ScheduledEvaluation) -> list[Alert]:
    if not evaluation.rules:
        return []
    goals = await ledger.goal_progress(work, evaluation.user_id, today=evaluation.today)
    rule = evaluation.rules[0]  # the kind takes no parameters: the first rule speaks for all
    found = []
    for goal in goals:
        if goal.pace != PACE_BEHIND or goal.target_date is None:
            continue
        found.append(
            Alert(
                rule=rule,
                dedupe_key=f"{AlertKind.GOAL_BEHIND}:{goal.id.hex}:{_month(evaluation.today)}",
                text=wording.goal_behind(
                    goal.name, goal.saved, goal.target, goal.target_date, goal.projected_date
                ),
                data={
                    **_facts(goal),
                    "targetDate": goal.target_date.isoformat(),
                    "projectedDate": (
                        goal.projected_date.isoformat() if goal.projected_date else None
                    ),
                },
            )
        )
    return found
