"""Driving the kinds of issue 10 with a frozen clock: the user's today on announcements, and
the scheduler's pass at a given moment."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from services.notifier.evaluation import service
from shared import clock
from shared.db import unit_of_work
from tests.notifier.factories import Person, notifications
from tests.support.graphql import data

# A Thursday, noon in UTC.
NOW = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)


def freeze(monkeypatch: pytest.MonkeyPatch, moment: dt.datetime = NOW) -> None:
    """Everyone's today (and the ledger's) follows `moment`."""
    monkeypatch.setattr(clock, "utcnow", lambda: moment)


async def scheduled(person: Person, moment: dt.datetime) -> list[str]:
    """The scheduler's pass for one user at `moment`; the titles it raised."""
    async with unit_of_work() as work:
        raised = await service.evaluate_scheduled(work, person.id, moment)
    return [notification.title for notification in raised]


async def of_kind(person: Person, kind: str) -> list[dict[str, Any]]:
    return [n for n in await notifications(person, first=100) if n["kind"] == kind]


async def spend_tagged(
    person: Person, account: str, amount: str, day: str, description: str, tag_ids: list[str]
) -> str:
    created = await data(
        """mutation($i: CreateTransactionInput!) {
             createTransaction(input: $i) { transaction { id } } }""",
        {"i": {"accountId": account, "date": day, "amount": amount, "description": description,
               "tagIds": tag_ids}},
        user_id=person.id,
    )  # fmt: skip
    return str(created["createTransaction"]["transaction"]["id"])


async def create_goal(
    person: Person, name: str, target: str, target_date: str | None = None
) -> str:
    created = await data(
        """mutation($i: CreateGoalInput!) { createGoal(input: $i) { goal { id } } }""",
        {"i": {"name": name, "targetAmount": target, "targetDate": target_date}},
        user_id=person.id,
    )
    return str(created["createGoal"]["goal"]["id"])


async def contribute(person: Person, goal: str, amount: str, day: str) -> None:
    await data(
        """mutation($i: ContributeToGoalInput!) {
             contributeToGoal(input: $i) { goal { id } } }""",
        {"i": {"goalId": goal, "amount": amount, "date": day}},
        user_id=person.id,
    )
