"""The Goal type, the `goals` and `goal` queries and the create and contribute mutations."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import strawberry

from services.ledger.goals import service as goal_service
from services.ledger.graphql.inputs import ContributeToGoalInput, CreateGoalInput
from shared.db import read_session, unit_of_work
from shared.graphql import INPUT, Info, MoneyType, Node
from shared.ids import decode_id, encode_id


@strawberry.type(name="Goal", description="Something the user saves toward.")
class Goal(Node):
    name: str = strawberry.field(description="What the goal is.")
    target_amount: MoneyType = strawberry.field(description="How much to save.")
    saved_amount: MoneyType = strawberry.field(description="How much is saved so far.")
    target_date: dt.date | None = strawberry.field(
        description="When the user wants to have it; null if they did not say."
    )
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


async def resolve_goal(info: Info, goal_id: uuid.UUID) -> Goal:
    """The caller's goal (for `goal(id:)` and `node(id:)`); NOT_FOUND otherwise."""
    user_id = info.context.require_user()
    async with read_session() as session:
        report = await goal_service.goal_report(
            session, user_id, goal_id, as_of=info.context.today()
        )
    return Goal.from_report(report)


@strawberry.type(description="What createGoal made.")
class CreateGoalPayload:
    goal: Goal = strawberry.field(description="The new goal.")


@strawberry.type(description="What contributeToGoal changed.")
class ContributeToGoalPayload:
    goal: Goal = strawberry.field(description="The goal with the contribution counted.")


@strawberry.type
class GoalQueries:
    @strawberry.field
    async def goals(self, info: Info) -> list[Goal]:
        """The caller's goals, each with its progress and projection."""
        user_id = info.context.require_user()
        async with read_session() as session:
            reports = await goal_service.list_goals(session, user_id, as_of=info.context.today())
        return [Goal.from_report(report) for report in reports]

    @strawberry.field
    async def goal(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="Its id.")]
    ) -> Goal:
        """One of the caller's goals."""
        return await resolve_goal(info, decode_id("Goal", id))


@strawberry.type
class GoalMutations:
    @strawberry.mutation
    async def create_goal(
        self, info: Info, input: Annotated[CreateGoalInput, INPUT]
    ) -> CreateGoalPayload:
        """Start saving toward something."""
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
        return CreateGoalPayload(goal=Goal.from_report(report))

    @strawberry.mutation
    async def contribute_to_goal(
        self, info: Info, input: Annotated[ContributeToGoalInput, INPUT]
    ) -> ContributeToGoalPayload:
        """Put money aside for a goal."""
        user_id = info.context.require_user()
        goal_uuid = decode_id("Goal", input.goal_id, "input.goalId")
        async with unit_of_work() as work:
            report = await goal_service.contribute_to_goal(
                work,
                user_id,
                goal_uuid,
                input.amount,
                contributed_on=input.date,
                as_of=info.context.today(),
            )
        return ContributeToGoalPayload(goal=Goal.from_report(report))
