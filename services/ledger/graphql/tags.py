"""The Tag type, the `tags` and `tag` queries, and creating, renaming and deleting tags."""

from __future__ import annotations

import uuid
from typing import Annotated

import strawberry

from services.ledger import models
from services.ledger.graphql import loaders
from services.ledger.tags import service as tag_service
from shared.db import read_session, unit_of_work
from shared.graphql import INPUT, Info, Node
from shared.ids import decode_id, encode_id


@strawberry.type(
    name="Tag", description='A label of the user\'s own ("vacation"), many per transaction.'
)
class Tag(Node):
    name: str = strawberry.field(description="The tag's name, unique among the user's.")

    @classmethod
    def from_row(cls, row: models.Tag) -> Tag:
        return cls(id=strawberry.ID(encode_id("Tag", row.id)), name=row.name)


async def load_transaction_tags(info: Info, transaction_id: uuid.UUID) -> list[Tag]:
    return [Tag.from_row(row) for row in await loaders.transaction_tags(info).load(transaction_id)]


async def resolve_tag(info: Info, tag_id: uuid.UUID) -> Tag:
    """The caller's tag (for `tag(id:)` and `node(id:)`); NOT_FOUND otherwise."""
    user_id = info.context.require_user()
    async with read_session() as session:
        return Tag.from_row(await tag_service.require_tag(session, user_id, tag_id))


@strawberry.input(name="CreateTagInput", description="A new tag.")
class CreateTagInput:
    name: str = strawberry.field(
        description="Its name, up to 50 characters, not one of the user's tags already."
    )


@strawberry.type(name="CreateTagPayload", description="What createTag made.")
class CreateTagPayload:
    tag: Tag = strawberry.field(description="The new tag.")


@strawberry.input(name="RenameTagInput", description="A tag's new name.")
class RenameTagInput:
    id: strawberry.ID = strawberry.field(description="The tag to rename.")
    name: str = strawberry.field(description="Its new name, up to 50 characters.")


@strawberry.type(name="RenameTagPayload", description="What renameTag changed.")
class RenameTagPayload:
    tag: Tag = strawberry.field(description="The tag as it is now.")


@strawberry.input(name="DeleteTagInput", description="The tag to delete.")
class DeleteTagInput:
    id: strawberry.ID = strawberry.field(description="The tag's id.")


@strawberry.type(name="DeleteTagPayload", description="What deleteTag removed.")
class DeleteTagPayload:
    deleted_tag_id: strawberry.ID = strawberry.field(
        description="The id of the tag that is gone (and off every transaction)."
    )


@strawberry.type
class TagQueries:
    @strawberry.field
    async def tags(self, info: Info) -> list[Tag]:
        """The caller's tags, by name (at most 500)."""
        user_id = info.context.require_user()
        async with read_session() as session:
            rows = await tag_service.list_tags(session, user_id)
        return [Tag.from_row(row) for row in rows]

    @strawberry.field
    async def tag(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="Its id.")]
    ) -> Tag:
        """One of the caller's tags."""
        return await resolve_tag(info, decode_id("Tag", id))


@strawberry.type
class TagMutations:
    @strawberry.mutation
    async def create_tag(
        self, info: Info, input: Annotated[CreateTagInput, INPUT]
    ) -> CreateTagPayload:
        """Make a tag (a user has at most 500)."""
        user_id = info.context.require_user()
        async with unit_of_work() as work:
            row = await tag_service.create_tag(work, user_id, input.name)
        return CreateTagPayload(tag=Tag.from_row(row))

    @strawberry.mutation
    async def rename_tag(
        self, info: Info, input: Annotated[RenameTagInput, INPUT]
    ) -> RenameTagPayload:
        """Rename a tag; the transactions carrying it keep it."""
        user_id = info.context.require_user()
        tag_id = decode_id("Tag", input.id, "input.id")
        async with unit_of_work() as work:
            row = await tag_service.rename_tag(work, user_id, tag_id, input.name)
        return RenameTagPayload(tag=Tag.from_row(row))

    @strawberry.mutation
    async def delete_tag(
        self, info: Info, input: Annotated[DeleteTagInput, INPUT]
    ) -> DeleteTagPayload:
        """Delete a tag: every transaction loses it."""
        user_id = info.context.require_user()
        tag_id = decode_id("Tag", input.id, "input.id")
        async with unit_of_work() as work:
            await tag_service.delete_tag(work, user_id, tag_id)
        return DeleteTagPayload(deleted_tag_id=input.id)
