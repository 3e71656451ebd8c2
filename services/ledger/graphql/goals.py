"""The Goal type, the `goals` and `goal` queries, and the create, update, pause, resume,
delete and contribute mutations."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import Enum
from typing import Annotated, Any

import strawberry

from services.ledger.goals import progress as goal_progress
from services.ledger.goals import service as goal_service
from services.ledger.graphql.accounts import Account, load_account
from services.ledger.graphql.categories import Category, load_category
from services.ledger.graphql.inputs import (
    ContributeToGoalInput,
    CreateGoalInput,
    DeleteGoalInput,
    GoalFunding,
    PauseGoalInput,
    ResumeGoalInput,
    UpdateGoalInput,
)
from shared.db import read_session, unit_of_work
from shared.graphql import INPUT, Info, MoneyType, Node
from shared.ids import decode_id, encode_id


@strawberry.enum(description="Where a goal stands.")
class GoalStatus(Enum):
    ACTIVE = strawberry.enum_value(
        goal_progress.STATUS_ACTIVE, description="Being saved toward, not reached yet."
    )
    PAUSED = strawberry.enum_value(
        goal_progress.STATUS_PAUSED, description="Paused by the user, not reached yet."
    )
    REACHED = strawberry.enum_value(
        goal_progress.STATUS_REACHED,
        description="What is saved covers the target (whether paused or not).",
    )


@strawberry.enum(description="Whether a goal is on course for its target date.")
class GoalPace(Enum):
    ON_TRACK = strawberry.enum_value(
        goal_progress.PACE_ON_TRACK,
        description="Active, and projected to be reached on or before its target date.",
    )
    BEHIND = strawberry.enum_value(
        goal_progress.PACE_BEHIND,
        description="Active with a target date, and projected after it, or not projected at "
        "all (no rate of saving yet).",
    )
    NO_TARGET_DATE = strawberry.enum_value(
        goal_progress.PACE_NO_TARGET_DATE, description="Active, with no target date to meet."
    )
    REACHED = strawberry.enum_value(goal_progress.STATUS_REACHED, description="Reached already.")
    PAUSED = strawberry.enum_value(
        goal_progress.STATUS_PAUSED, description="Paused by the user (and not reached)."
    )


@strawberry.type(name="Goal", description="Something the user saves toward.")
class Goal(Node):
    name: str = strawberry.field(description="What the goal is.")
    target_amount: MoneyType = strawberry.field(description="How much to save.")
    saved_amount: MoneyType = strawberry.field(
        description="How much is saved so far, as its funding counts it (see GoalFunding)."
    )
    target_date: dt.date | None = strawberry.field(
        description="When the user wants to have it; null if they did not say."
    )
    progress: float = strawberry.field(description="Saved / target, 0..1, for display only.")
    projected_date: dt.date | None = strawberry.field(
        description="When the target is reached at the pace so far: since the first "
        "contribution (CONTRIBUTIONS), over the account's last 90 days or since its first "
        "transaction if more recent (ACCOUNT), since the first day of the month the goal "
        "started counting the category (CATEGORY). Null without a pace (nothing gained) and "
        "once the goal is reached."
    )
    funding: GoalFunding = strawberry.field(description="What counts as saved toward it.")
    status: GoalStatus = strawberry.field(description="Active, paused or reached.")
    on_track: GoalPace = strawberry.field(
        description="REACHED or PAUSED as the status says; otherwise NO_TARGET_DATE without a "
        "target date, ON_TRACK when projectedDate is on or before targetDate, else BEHIND."
    )
    monthly_amount_needed: MoneyType | None = strawberry.field(
        description="What to set aside in each calendar month, from the caller's current one "
        "through the target date's month (both counted), to reach the target: the remaining "
        "amount divided by those months, rounded up to the minor unit (all of it once the "
        "target month has come; zero once reached). Null without a target date."
    )
    paused_at: dt.datetime | None = strawberry.field(
        description="When the user paused it; null while it is not paused."
    )
    funded_since: dt.date | None = strawberry.field(
        description="The day its current funding started counting; null for goals from before "
        "fundings existed (they count from the day they were created)."
    )
    account_id: strawberry.Private[uuid.UUID | None]
    category_id: strawberry.Private[uuid.UUID | None]

    @classmethod
    def from_report(cls, report: goal_progress.GoalReport) -> Goal:
        goal = report.goal
        needed = report.monthly_amount_needed
        return cls(
            id=strawberry.ID(encode_id("Goal", goal.id)),
            name=goal.name,
            target_amount=MoneyType.of(report.target),
            saved_amount=MoneyType.of(report.saved),
            target_date=goal.target_date,
            progress=report.progress,
            projected_date=report.projected_date,
            funding=GoalFunding(goal.funding),
            status=GoalStatus(report.status),
            on_track=GoalPace(report.pace),
            monthly_amount_needed=MoneyType.of(needed) if needed is not None else None,
            paused_at=goal.paused_at,
            funded_since=goal.funded_since,
            account_id=goal.account_id,
            category_id=goal.category_id,
        )

    @strawberry.field
    async def account(self, info: Info) -> Account | None:
        """The account whose balance counts (ACCOUNT funding); null otherwise."""
        if self.account_id is None:
            return None
        return await load_account(info, self.account_id)

    @strawberry.field
    async def category(self, info: Info) -> Category | None:
        """The category whose budgets count (CATEGORY funding); null otherwise, and once the
        category is deleted (the goal then counts nothing until its funding changes)."""
        return await load_category(info, self.category_id)


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


@strawberry.type(description="What updateGoal changed.")
class UpdateGoalPayload:
    goal: Goal = strawberry.field(description="The goal as it is now.")


@strawberry.type(description="What pauseGoal changed.")
class PauseGoalPayload:
    goal: Goal = strawberry.field(description="The paused goal.")


@strawberry.type(description="What resumeGoal changed.")
class ResumeGoalPayload:
    goal: Goal = strawberry.field(description="The resumed goal.")


@strawberry.type(description="What deleteGoal removed.")
class DeleteGoalPayload:
    deleted_goal_id: strawberry.ID = strawberry.field(
        description="The id of the goal that is gone, with its contributions."
    )


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
        funding = goal_service.Funding(
            kind=str(input.funding.value),
            account_id=_optional_id("Account", input.account_id, "input.accountId"),
            category_id=_optional_id("Category", input.category_id, "input.categoryId"),
        )
        async with unit_of_work() as work:
            report = await goal_service.create_goal(
                work,
                user_id,
                name=input.name,
                target_amount=input.target_amount,
                currency=input.currency,
                target_date=input.target_date,
                funding=funding,
                as_of=info.context.today(),
            )
        return CreateGoalPayload(goal=Goal.from_report(report))

    @strawberry.mutation
    async def update_goal(
        self, info: Info, input: Annotated[UpdateGoalInput, INPUT]
    ) -> UpdateGoalPayload:
        """Change a goal: its name, target, target date or funding."""
        user_id = info.context.require_user()
        goal_id = decode_id("Goal", input.id, "input.id")
        funding = _kept(input.funding)
        account_id = _kept(input.account_id)
        if isinstance(account_id, str):
            account_id = decode_id("Account", account_id, "input.accountId")
        category_id = _kept(input.category_id)
        if isinstance(category_id, str):
            category_id = decode_id("Category", category_id, "input.categoryId")
        changes = goal_service.GoalChanges(
            name=_kept(input.name),
            target_amount=_kept(input.target_amount),
            target_date=_kept(input.target_date),
            funding=str(funding.value) if isinstance(funding, GoalFunding) else funding,
            account_id=account_id,
            category_id=category_id,
        )
        async with unit_of_work() as work:
            report = await goal_service.update_goal(
                work, user_id, goal_id, changes, as_of=info.context.today()
            )
        return UpdateGoalPayload(goal=Goal.from_report(report))

    @strawberry.mutation
    async def pause_goal(
        self, info: Info, input: Annotated[PauseGoalInput, INPUT]
    ) -> PauseGoalPayload:
        """Pause a goal: it stays, with what is saved, and is not expected to be on track."""
        report = await _set_paused(info, input.id, paused=True)
        return PauseGoalPayload(goal=Goal.from_report(report))

    @strawberry.mutation
    async def resume_goal(
        self, info: Info, input: Annotated[ResumeGoalInput, INPUT]
    ) -> ResumeGoalPayload:
        """Resume a paused goal (an active one stays as it is)."""
        report = await _set_paused(info, input.id, paused=False)
        return ResumeGoalPayload(goal=Goal.from_report(report))

    @strawberry.mutation
    async def delete_goal(
        self, info: Info, input: Annotated[DeleteGoalInput, INPUT]
    ) -> DeleteGoalPayload:
        """Delete a goal with its contributions (an account or category funding it stays)."""
        user_id = info.context.require_user()
        goal_id = decode_id("Goal", input.id, "input.id")
        async with unit_of_work() as work:
            await goal_service.delete_goal(work, user_id, goal_id)
        return DeleteGoalPayload(deleted_goal_id=input.id)

    @strawberry.mutation
    async def contribute_to_goal(
        self, info: Info, input: Annotated[ContributeToGoalInput, INPUT]
    ) -> ContributeToGoalPayload:
        """Put money aside for a goal funded by CONTRIBUTIONS."""
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


async def _set_paused(info: Info, id: strawberry.ID, *, paused: bool) -> goal_progress.GoalReport:
    user_id = info.context.require_user()
    goal_id = decode_id("Goal", id, "input.id")
    async with unit_of_work() as work:
        return await goal_service.set_paused(
            work, user_id, goal_id, paused, as_of=info.context.today()
        )


def _optional_id(kind: str, value: strawberry.ID | None, field: str) -> uuid.UUID | None:
    return decode_id(kind, value, field) if value is not None else None


def _kept(value: Any) -> Any:
    return goal_service.KEEP if value is strawberry.UNSET else value
