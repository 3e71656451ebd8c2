"""The Category and CategoryGroup types; the `categories`, `category`, `categoryGroups` and
`categoryGroup` queries; and the mutations that make categories the user's own (create,
update, merge and delete categories and their groups)."""

from __future__ import annotations

import uuid
from typing import Annotated

import strawberry

from services.ledger import models
from services.ledger.categories import merging as category_merging
from services.ledger.categories import service as category_service
from services.ledger.graphql import loaders
from services.ledger.graphql.inputs import (
    CategoryKind,
    CreateCategoryGroupInput,
    CreateCategoryInput,
    DeleteCategoryGroupInput,
    DeleteCategoryInput,
    MergeCategoriesInput,
    UpdateCategoryGroupInput,
    UpdateCategoryInput,
)
from services.ledger.rules import service as rule_service
from shared.db import read_session, unit_of_work
from shared.errors import NotFound
from shared.graphql import INPUT, Info, Node
from shared.ids import decode_id, encode_id

INCLUDE_HIDDEN = strawberry.argument(
    description="Whether hidden categories are listed too (they are left out of pickers, "
    "not of history); false if omitted or null."
)


@strawberry.type(
    name="Category",
    description="What money was for. Categories are the user's: they sit in groups, in the "
    "user's order, and may be renamed, moved, hidden, merged or deleted.",
)
class Category(Node):
    name: str = strawberry.field(description="The category's name, unique for the user.")
    position: int = strawberry.field(description="Its place within its group, from 0.")
    hidden: bool = strawberry.field(
        description="Whether it is left out of pickers (`categories` without includeHidden); "
        "it stays on its transactions, budgets and reports."
    )
    kind: CategoryKind = strawberry.field(
        description='What its money means to cash flow and budgets (a renamed "Transfers" '
        "is still a transfer category)."
    )
    rollover: bool = strawberry.field(
        description="Limits budgeting: whether what is left (or overspent) at a month's end "
        "carries into the next month. Envelope budgeting always carries what is left."
    )
    group_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: models.Category) -> Category:
        return cls(
            id=strawberry.ID(encode_id("Category", row.id)),
            name=row.name,
            position=row.position,
            hidden=row.hidden,
            kind=CategoryKind(row.kind),
            rollover=row.rollover,
            group_id=row.group_id,
        )

    @strawberry.field
    async def group(self, info: Info) -> str:
        """The name of the group it belongs to, e.g. "Food"."""
        return (await _group_of(info, self.group_id)).name

    @strawberry.field
    async def category_group(self, info: Info) -> CategoryGroup:
        """The group it belongs to."""
        return await _group_of(info, self.group_id)


@strawberry.type(
    name="CategoryGroup", description="A heading the user's categories sit under, in order."
)
class CategoryGroup(Node):
    name: str = strawberry.field(description="The group's name, unique for the user.")
    position: int = strawberry.field(description="Its place among the user's groups, from 0.")
    group_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: models.CategoryGroup) -> CategoryGroup:
        return cls(
            id=strawberry.ID(encode_id("CategoryGroup", row.id)),
            name=row.name,
            position=row.position,
            group_id=row.id,
        )

    @strawberry.field
    async def categories(
        self, info: Info, include_hidden: Annotated[bool | None, INCLUDE_HIDDEN] = False
    ) -> list[Category]:
        """Its categories, in their order."""
        rows = await loaders.group_categories(info).load(self.group_id)
        return [Category.from_row(row) for row in rows if include_hidden or not row.hidden]


async def _group_of(info: Info, group_id: uuid.UUID) -> CategoryGroup:
    row = await loaders.category_groups(info).load(group_id)
    if row is None:
        raise NotFound("CategoryGroup")
    return CategoryGroup.from_row(row)


def category_of_row(row: models.Category | None) -> Category | None:
    return Category.from_row(row) if row is not None else None


async def load_category(info: Info, category_id: uuid.UUID | None) -> Category | None:
    if category_id is None:
        return None
    return category_of_row(await loaders.categories(info).load(category_id))


async def resolve_category(info: Info, category_id: uuid.UUID) -> Category:
    """The caller's category (for `category(id:)` and `node(id:)`); NOT_FOUND otherwise."""
    info.context.require_user()
    category = await load_category(info, category_id)
    if category is None:
        raise NotFound("Category")
    return category


async def resolve_category_group(info: Info, group_id: uuid.UUID) -> CategoryGroup:
    """The caller's group (for `categoryGroup(id:)` and `node(id:)`); NOT_FOUND otherwise."""
    info.context.require_user()
    return await _group_of(info, group_id)


# --- payloads ------------------------------------------------------------------------------


@strawberry.type(description="What createCategoryGroup made.")
class CreateCategoryGroupPayload:
    category_group: CategoryGroup = strawberry.field(description="The new group.")


@strawberry.type(description="What updateCategoryGroup changed.")
class UpdateCategoryGroupPayload:
    category_group: CategoryGroup = strawberry.field(description="The group as it is now.")


@strawberry.type(description="What deleteCategoryGroup removed.")
class DeleteCategoryGroupPayload:
    deleted_category_group_id: strawberry.ID = strawberry.field(
        description="The id of the group that is gone."
    )


@strawberry.type(description="What createCategory made.")
class CreateCategoryPayload:
    category: Category = strawberry.field(description="The new category.")


@strawberry.type(description="What updateCategory changed.")
class UpdateCategoryPayload:
    category: Category = strawberry.field(description="The category as it is now.")


@strawberry.type(description="What mergeCategories did.")
class MergeCategoriesPayload:
    category: Category = strawberry.field(
        description="The target, which now holds everything of the source."
    )
    merged_category_id: strawberry.ID = strawberry.field(
        description="The id of the source category, which is gone."
    )
    moved_transaction_count: int = strawberry.field(
        description="Transactions that moved from the source to the target."
    )
    moved_budget_count: int = strawberry.field(
        description="The source's budgets, now the target's (a month both had is added up)."
    )


@strawberry.type(description="What deleteCategory removed.")
class DeleteCategoryPayload:
    deleted_category_id: strawberry.ID = strawberry.field(
        description="The id of the category that is gone."
    )
    uncategorized_transaction_count: int = strawberry.field(
        description="Its transactions, which stay and are now uncategorized."
    )
    deleted_budget_count: int = strawberry.field(description="Its budgets, which are gone.")


# --- root fields ---------------------------------------------------------------------------


@strawberry.type
class CategoryQueries:
    @strawberry.field
    async def categories(
        self, info: Info, include_hidden: Annotated[bool | None, INCLUDE_HIDDEN] = False
    ) -> list[Category]:
        """The caller's categories in their order: by group, then place in the group."""
        user_id = info.context.require_user()
        async with read_session() as session:
            rows = await category_service.list_categories(
                session, user_id, include_hidden=bool(include_hidden)
            )
        return [Category.from_row(row) for row in rows]

    @strawberry.field
    async def category(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="Its id.")]
    ) -> Category:
        """One of the caller's categories (hidden ones too)."""
        return await resolve_category(info, decode_id("Category", id))

    @strawberry.field
    async def category_groups(self, info: Info) -> list[CategoryGroup]:
        """The caller's category groups in their order, each with its categories."""
        user_id = info.context.require_user()
        async with read_session() as session:
            rows = await category_service.list_groups(session, user_id)
        return [CategoryGroup.from_row(row) for row in rows]

    @strawberry.field
    async def category_group(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="Its id.")]
    ) -> CategoryGroup:
        """One of the caller's category groups."""
        return await resolve_category_group(info, decode_id("CategoryGroup", id))


@strawberry.type
class CategoryMutations:
    @strawberry.mutation
    async def create_category_group(
        self, info: Info, input: Annotated[CreateCategoryGroupInput, INPUT]
    ) -> CreateCategoryGroupPayload:
        """Add a group to put categories in."""
        user_id = info.context.require_user()
        async with unit_of_work() as work:
            row = await category_service.create_group(
                work, user_id, name=input.name, position=input.position
            )
        return CreateCategoryGroupPayload(category_group=CategoryGroup.from_row(row))

    @strawberry.mutation
    async def update_category_group(
        self, info: Info, input: Annotated[UpdateCategoryGroupInput, INPUT]
    ) -> UpdateCategoryGroupPayload:
        """Rename a group, or move it among the groups (the others close up around it)."""
        user_id = info.context.require_user()
        group_id = decode_id("CategoryGroup", input.id, "input.id")
        async with unit_of_work() as work:
            row = await category_service.update_group(
                work, user_id, group_id, name=input.name, position=input.position
            )
        return UpdateCategoryGroupPayload(category_group=CategoryGroup.from_row(row))

    @strawberry.mutation
    async def delete_category_group(
        self, info: Info, input: Annotated[DeleteCategoryGroupInput, INPUT]
    ) -> DeleteCategoryGroupPayload:
        """Delete an empty group (one holding categories is refused: move, merge or delete
        them first)."""
        user_id = info.context.require_user()
        group_id = decode_id("CategoryGroup", input.id, "input.id")
        async with unit_of_work() as work:
            await category_service.delete_group(work, user_id, group_id)
        return DeleteCategoryGroupPayload(deleted_category_group_id=input.id)

    @strawberry.mutation
    async def create_category(
        self, info: Info, input: Annotated[CreateCategoryInput, INPUT]
    ) -> CreateCategoryPayload:
        """Add a category of the user's own to one of their groups."""
        user_id = info.context.require_user()
        new = category_service.NewCategory(
            name=input.name,
            group_id=decode_id("CategoryGroup", input.group_id, "input.groupId"),
            kind=str(input.kind.value),
            position=input.position,
            rollover=input.rollover,
        )
        async with unit_of_work() as work:
            row = await category_service.create_category(work, user_id, new)
        return CreateCategoryPayload(category=Category.from_row(row))

    @strawberry.mutation
    async def update_category(
        self, info: Info, input: Annotated[UpdateCategoryInput, INPUT]
    ) -> UpdateCategoryPayload:
        """Rename, regroup, reorder, hide or show a category, or change its kind or rollover.
        Its transactions, budgets and history stay with it."""
        user_id = info.context.require_user()
        category_id = decode_id("Category", input.id, "input.id")
        changes = category_service.CategoryChanges(
            name=input.name,
            group_id=(
                decode_id("CategoryGroup", input.group_id, "input.groupId")
                if input.group_id is not None
                else None
            ),
            position=input.position,
            hidden=input.hidden,
            kind=str(input.kind.value) if input.kind is not None else None,
            rollover=input.rollover,
        )
        async with unit_of_work() as work:
            row = await category_service.update_category(work, user_id, category_id, changes)
        return UpdateCategoryPayload(category=Category.from_row(row))

    @strawberry.mutation
    async def merge_categories(
        self, info: Info, input: Annotated[MergeCategoriesInput, INPUT]
    ) -> MergeCategoriesPayload:
        """Make two categories of the same kind one, in one step: every transaction of the
        source (its whole history, and the edits kept for pending bank transactions), its
        budgets (a month both budgeted adds the two amounts) and the bank hints it received
        move to the target, and the source is deleted. The target keeps its name, group, kind
        and flags."""
        user_id = info.context.require_user()
        source_id = decode_id("Category", input.source_id, "input.sourceId")
        target_id = decode_id("Category", input.target_id, "input.targetId")
        async with unit_of_work() as work:
            # Before the source goes (its rules' foreign key would let go of it).
            await rule_service.follow_category_merge(work, user_id, source_id, target_id)
            merge = await category_merging.merge_categories(work, user_id, source_id, target_id)
        return MergeCategoriesPayload(
            category=Category.from_row(merge.target),
            merged_category_id=input.source_id,
            moved_transaction_count=merge.moved_transactions,
            moved_budget_count=merge.moved_budgets,
        )

    @strawberry.mutation
    async def delete_category(
        self, info: Info, input: Annotated[DeleteCategoryInput, INPUT]
    ) -> DeleteCategoryPayload:
        """Delete a category. Its transactions stay and become uncategorized; its budgets are
        deleted (in envelope budgeting, what they assigned is ready to assign again); bank
        hints it received categorize nothing from now on. To keep its history in another
        category, merge it instead."""
        user_id = info.context.require_user()
        category_id = decode_id("Category", input.id, "input.id")
        async with unit_of_work() as work:
            deletion = await category_merging.delete_category(work, user_id, category_id)
        return DeleteCategoryPayload(
            deleted_category_id=input.id,
            uncategorized_transaction_count=deletion.uncategorized_transactions,
            deleted_budget_count=deletion.deleted_budgets,
        )
