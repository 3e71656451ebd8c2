"""Categories and their groups, and budgets in either style."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum

import strawberry

from shared.graphql import Month


@strawberry.input(description="A category's budget for one month; setting it again replaces it.")
class SetBudgetInput:
    category_id: strawberry.ID = strawberry.field(description="One of the caller's categories.")
    month: Month = strawberry.field(description="The month it is for.")
    amount: Decimal = strawberry.field(
        description="How much may be spent, zero or more, in the user's currency."
    )


@strawberry.enum(description="What a category's money means to reports and budgets.")
class CategoryKind(Enum):
    EXPENSE = strawberry.enum_value(
        "expense", description="Spending: budgeted, and counted as expenses in cash flow."
    )
    INCOME = strawberry.enum_value(
        "income",
        description="Money earned: counted as income in cash flow; in envelope budgeting, "
        "what there is to assign. Not budgeted.",
    )
    TRANSFER = strawberry.enum_value(
        "transfer",
        description="Money moved between the user's own accounts (or paying a card or loan): "
        "left out of cash flow and budgets.",
    )


@strawberry.enum(description="How the user budgets; amounts stay as they are when it changes.")
class BudgetStyle(Enum):
    LIMITS = strawberry.enum_value(
        "limits",
        description="A limit per category and month; a category with rollover carries what "
        "is left (or overspent) into the next month.",
    )
    ENVELOPE = strawberry.enum_value(
        "envelope",
        description="Zero-based: income is assigned to categories until nothing is ready to "
        "assign; what is left in a category carries on, overspending comes out of the next "
        "month's ready to assign.",
    )


@strawberry.input(description="A new group to put categories in.")
class CreateCategoryGroupInput:
    name: str = strawberry.field(
        description="Up to 60 characters, unique among the user's groups (ignoring case)."
    )
    position: int | None = strawberry.field(
        default=None, description="Its place among the groups, from 0; last if null."
    )


@strawberry.input(description="What to change about a group; null fields stay as they are.")
class UpdateCategoryGroupInput:
    id: strawberry.ID = strawberry.field(description="The group to change.")
    name: str | None = strawberry.field(default=None, description="A new name.")
    position: int | None = strawberry.field(
        default=None, description="A new place among the groups, from 0 (past the end: last)."
    )


@strawberry.input(description="The group to delete; it must hold no category.")
class DeleteCategoryGroupInput:
    id: strawberry.ID = strawberry.field(description="The group's id.")


@strawberry.input(description="A new category of the user's own.")
class CreateCategoryInput:
    name: str = strawberry.field(
        description="Up to 60 characters, unique among the user's categories (ignoring case)."
    )
    group_id: strawberry.ID = strawberry.field(description="The group it goes in.")
    kind: CategoryKind = strawberry.field(
        default=CategoryKind.EXPENSE, description="What its money means; EXPENSE if omitted."
    )
    position: int | None = strawberry.field(
        default=None, description="Its place in the group, from 0; last if null."
    )
    rollover: bool = strawberry.field(
        default=False, description="Limits budgeting: whether each month's rest carries on."
    )


@strawberry.input(description="What to change about a category; null fields stay as they are.")
class UpdateCategoryInput:
    id: strawberry.ID = strawberry.field(description="The category to change.")
    name: str | None = strawberry.field(default=None, description="A new name.")
    group_id: strawberry.ID | None = strawberry.field(
        default=None, description="Another group to move it to (last there unless a position)."
    )
    position: int | None = strawberry.field(
        default=None, description="A new place in its group, from 0 (past the end: last)."
    )
    hidden: bool | None = strawberry.field(
        default=None,
        description="Hide it from pickers (it stays on its transactions, budgets and reports), "
        "or show it again.",
    )
    kind: CategoryKind | None = strawberry.field(
        default=None,
        description="A new kind; an expense category with budgets other than zero stays one.",
    )
    rollover: bool | None = strawberry.field(
        default=None, description="Limits budgeting: whether each month's rest carries on."
    )


@strawberry.input(description="Two categories of the same kind to make one.")
class MergeCategoriesInput:
    source_id: strawberry.ID = strawberry.field(
        description="The category that goes away; everything of it moves to the target."
    )
    target_id: strawberry.ID = strawberry.field(description="The category that stays.")


@strawberry.input(description="The category to delete.")
class DeleteCategoryInput:
    id: strawberry.ID = strawberry.field(
        description="Its transactions stay, uncategorized; its budgets are deleted."
    )


@strawberry.input(description="The budgeting style to use from now on.")
class SetBudgetStyleInput:
    style: BudgetStyle = strawberry.field(description="LIMITS or ENVELOPE.")


@strawberry.input(description="Copy one month's budgets into another month.")
class CopyBudgetsInput:
    from_month: Month = strawberry.field(description="The month to copy from.")
    to_month: Month = strawberry.field(
        description="The month to copy into (before or ahead): another month."
    )
    overwrite: bool = strawberry.field(
        default=False,
        description="Whether a category already budgeted in toMonth takes the copied amount "
        "(false: it keeps its own).",
    )


@strawberry.input(description="Money moved from one category's budget to another's, in a month.")
class MoveBudgetInput:
    from_category_id: strawberry.ID = strawberry.field(
        description="The expense category the money leaves."
    )
    to_category_id: strawberry.ID = strawberry.field(description="The expense category it goes to.")
    month: Month = strawberry.field(description="The month whose budgets change.")
    amount: Decimal = strawberry.field(
        description="How much, more than zero and at most what fromCategory has available "
        "that month, in the base currency."
    )
