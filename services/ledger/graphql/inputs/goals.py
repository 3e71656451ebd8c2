"""Goals: how they are funded, making, changing and contributing to them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum

import strawberry

from shared.graphql import patch_field


@strawberry.enum(description="How a goal is funded: what counts as saved toward it.")
class GoalFunding(Enum):
    CONTRIBUTIONS = strawberry.enum_value(
        "contributions", description="The money the user puts aside for it (contributeToGoal)."
    )
    ACCOUNT = strawberry.enum_value(
        "account", description="The balance of one of the user's accounts, in its currency."
    )
    CATEGORY = strawberry.enum_value(
        "category",
        description="A budget category's envelope since the goal started counting it: what was "
        "budgeted for it, month by month through the current one, plus the net of its "
        "transactions over those days (spending lowers it, refunds and money in raise it).",
    )


GOAL_FUNDING_DEFAULT = GoalFunding.CONTRIBUTIONS


@strawberry.input(description="Something to save toward.")
class CreateGoalInput:
    name: str = strawberry.field(description="What the goal is, up to 100 characters.")
    target_amount: Decimal = strawberry.field(description="How much to save, more than zero.")
    currency: str | None = strawberry.field(
        default=None,
        description="ISO 4217; defaults to the user's base currency.",
    )
    target_date: dt.date | None = strawberry.field(
        default=None, description="When the user wants to have it, today or later."
    )
    funding: GoalFunding = strawberry.field(
        default=GOAL_FUNDING_DEFAULT,
        description="What counts as saved toward it; CONTRIBUTIONS unless told.",
    )
    account_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="With ACCOUNT funding: the caller's open account whose balance counts, in "
        "the goal's currency (the goal takes the account's currency when `currency` is null).",
    )
    category_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="With CATEGORY funding: the caller's category whose budgets, less what was "
        "spent in it, count (the goal is then in the base currency).",
    )


@strawberry.input(description="Money put aside for a goal.")
class ContributeToGoalInput:
    goal_id: strawberry.ID = strawberry.field(description="One of the caller's goals.")
    amount: Decimal = strawberry.field(description="How much, more than zero.")
    date: dt.date | None = strawberry.field(
        default=None, description="When; defaults to the caller's today, in their time zone."
    )


@strawberry.input(
    description="Omitted fields stay as they are; a null targetDate removes it. A new funding, "
    "or a new account or category for it, counts from the caller's today."
)
class UpdateGoalInput:
    id: strawberry.ID = strawberry.field(description="The goal to change.")
    name: str | None = patch_field("A new name, up to 100 characters.")
    target_amount: Decimal | None = patch_field(
        "A new target, more than zero, in the goal's currency."
    )
    target_date: dt.date | None = patch_field("A new target date, today or later; null removes it.")
    funding: GoalFunding | None = patch_field(
        "A new funding: ACCOUNT needs accountId, CATEGORY needs categoryId."
    )
    account_id: strawberry.ID | None = patch_field(
        "With ACCOUNT funding: the caller's open account in the goal's currency."
    )
    category_id: strawberry.ID | None = patch_field(
        "With CATEGORY funding: one of the caller's categories (the goal must be "
        "in the base currency)."
    )


@strawberry.input(description="The goal to pause.")
class PauseGoalInput:
    id: strawberry.ID = strawberry.field(description="One of the caller's goals.")


@strawberry.input(description="The paused goal to resume.")
class ResumeGoalInput:
    id: strawberry.ID = strawberry.field(description="One of the caller's goals.")


@strawberry.input(description="The goal to delete, with its contributions.")
class DeleteGoalInput:
    id: strawberry.ID = strawberry.field(description="One of the caller's goals.")
