"""The Category type and the `categories` query."""

from __future__ import annotations

import uuid

import strawberry

from services.ledger import models
from services.ledger.categories import service as category_service
from services.ledger.graphql import loaders
from shared.db import read_session
from shared.graphql import Info
from shared.ids import encode_id


@strawberry.type(name="Category")
class Category:
    id: strawberry.ID
    name: str
    group: str

    @classmethod
    def from_row(cls, row: models.Category) -> Category:
        return cls(id=strawberry.ID(encode_id("Category", row.id)), name=row.name, group=row.group)


async def load_category(info: Info, category_id: uuid.UUID | None) -> Category | None:
    if category_id is None:
        return None
    row = await loaders.categories(info).load(category_id)
    return Category.from_row(row) if row is not None else None


@strawberry.type
class CategoryQueries:
    @strawberry.field
    async def categories(self, info: Info) -> list[Category]:
        user_id = info.context.require_user()
        async with read_session() as session:
            rows = await category_service.list_categories(session, user_id)
        return [Category.from_row(row) for row in rows]
