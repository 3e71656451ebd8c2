"""The Category type and the `categories` and `category` queries."""

from __future__ import annotations

import uuid
from typing import Annotated

import strawberry

from services.ledger import models
from services.ledger.categories import service as category_service
from services.ledger.graphql import loaders
from shared.db import read_session
from shared.errors import NotFound
from shared.graphql import Info, Node
from shared.ids import decode_id, encode_id


@strawberry.type(name="Category", description="What money was for; categories sit in groups.")
class Category(Node):
    name: str = strawberry.field(description="The category's name, unique for the user.")
    group: str = strawberry.field(description='The group it belongs to, e.g. "Food".')

    @classmethod
    def from_row(cls, row: models.Category) -> Category:
        return cls(id=strawberry.ID(encode_id("Category", row.id)), name=row.name, group=row.group)


async def load_category(info: Info, category_id: uuid.UUID | None) -> Category | None:
    if category_id is None:
        return None
    row = await loaders.categories(info).load(category_id)
    return Category.from_row(row) if row is not None else None


async def resolve_category(info: Info, category_id: uuid.UUID) -> Category:
    """The caller's category (for `category(id:)` and `node(id:)`); NOT_FOUND otherwise."""
    info.context.require_user()
    category = await load_category(info, category_id)
    if category is None:
        raise NotFound("Category")
    return category


@strawberry.type
class CategoryQueries:
    @strawberry.field
    async def categories(self, info: Info) -> list[Category]:
        """The caller's categories, by group and name."""
        user_id = info.context.require_user()
        async with read_session() as session:
            rows = await category_service.list_categories(session, user_id)
        return [Category.from_row(row) for row in rows]

    @strawberry.field
    async def category(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="Its id.")]
    ) -> Category:
        """One of the caller's categories."""
        return await resolve_category(info, decode_id("Category", id))
