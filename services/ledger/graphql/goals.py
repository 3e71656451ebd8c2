"""The Goal type, the `goals` query and the create and contribute mutations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import strawberry

from services.ledger.goals import service as goal_service
from services.ledger.graphql.inputs import CreateGoalInput
from shared.db import read_session, unit_of_work
from shared.graphql import Info, MoneyType
from shared.ids import decode_id, encode_id


@strawberry.type(name="Goal")
class Goal:
    id: strawberry.ID
    name: str
    target_amount: MoneyType
    saved_amount: MoneyType
    target_date: dt.date | None
    progress: float = strawberry.field(description="Saved / target, 0..1, for display only.")
    projected_date: dt.date | None = strawberry.field(
        description="When the target is reached at the average rate since the first "
        "contribution; null before there is a rate and once the goal is reached."
    )

    @classmethod
    def from_report(cls, report: goal_service.GoalReport) -> Goal:
        return cls(
            id=strawberry.ID(encode_id("Goal", report.goal.id)),
            name=report.goal.name,
            target_amount=MoneyType.of(report.target),
            saved_amount=MoneyType.of(report.saved),
            target_date=report.goal.target_date,
            progress=report.progress,
            projected_date=report.projected_date,
        )


@strawberry.type
class GoalQueries:
    @strawberry.field
    async def goals(self, info: Info) -> list[Goal]:
        user_id = info.context.require_user()
        async with read_session() as session:
            reports = await goal_service.list_goals(session, user_id, as_of=info.context.today())
        return [Goal.from_report(report) for report in reports]


@strawberry.type
class GoalMutations:
    @strawberry.mutation
    async def create_goal(self, info: Info, input: CreateGoalInput) -> Goal:
        user_id = info.context.require_user()
        async with unit_of_work() as work:
            report = await goal_service.create_goal(
                work,
                user_id,
                name=input.name,
                target_amount=input.target_amount,
                currency=input.currency,
                target_date=input.target_date,
                as_of=info.context.today(),
            )
        return Goal.from_report(report)

    @strawberry.mutation
    async def contribute_to_goal(
        self, info: Info, goal_id: strawberry.ID, amount: Decimal, date: dt.date | None = None
    ) -> Goal:
        """Put money aside for a goal (a positive amount); `date` defaults to the caller's
        today, in their time zone."""
        user_id = info.context.require_user()
        goal_uuid = decode_id("Goal", goal_id, "goalId")
        async with unit_of_work() as work:
            report = await goal_service.contribute_to_goal(
                work, user_id, goal_uuid, amount, contributed_on=date, as_of=info.context.today()
            )
        return Goal.from_report(report)
