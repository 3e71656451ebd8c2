"""The Payee type, the `payees` connection (by name, searchable) and `payee` queries, and the
`renamePayee` and `mergePayees` mutations."""

from __future__ import annotations

import uuid
from typing import Annotated

import strawberry

from services.ledger import models
from services.ledger.graphql import loaders
from services.ledger.payees import service as payee_service
from services.ledger.rules import service as rule_service
from shared.db import read_session, unit_of_work
from shared.errors import NotFound
from shared.graphql import INPUT, After, First, Info, Node, PageInfo
from shared.ids import decode_id, encode_id
from shared.pagination import page_size


@strawberry.type(
    name="Payee",
    description="Whom money went to or came from: a merchant, an employer, a person. Named "
    "after the first description that mentioned it, until the user renames it.",
)
class Payee(Node):
    name: str = strawberry.field(description="The payee's name, unique among the user's.")

    @classmethod
    def from_row(cls, row: models.Payee) -> Payee:
        return cls(id=strawberry.ID(encode_id("Payee", row.id)), name=row.name)


def payee_of_row(row: models.Payee | None) -> Payee | None:
    return Payee.from_row(row) if row is not None else None


async def load_payee(info: Info, payee_id: uuid.UUID | None) -> Payee | None:
    if payee_id is None:
        return None
    return payee_of_row(await loaders.payees(info).load(payee_id))


async def resolve_payee(info: Info, payee_id: uuid.UUID) -> Payee:
    """The caller's payee (for `payee(id:)` and `node(id:)`); NOT_FOUND otherwise."""
    info.context.require_user()
    payee = await load_payee(info, payee_id)
    if payee is None:
        raise NotFound("Payee")
    return payee


@strawberry.type(name="PayeeEdge", description="A payee in a page of payees.")
class PayeeEdge:
    cursor: str = strawberry.field(description="Pass as `after` to list what comes after it.")
    node: Payee = strawberry.field(description="The payee.")


@strawberry.type(name="PayeeConnection", description="A page of the user's payees, by name.")
class PayeeConnection:
    edges: list[PayeeEdge] = strawberry.field(description="This page's payees, A to Z.")
    page_info: PageInfo = strawberry.field(description="Where this page starts and ends.")
    search: strawberry.Private[str | None]
    user_id: strawberry.Private[uuid.UUID]

    @strawberry.field
    async def total_count(self) -> int:
        """How many payees match (all pages)."""
        async with read_session() as session:
            return await payee_service.count_payees(session, self.user_id, self.search)


@strawberry.input(name="RenamePayeeInput", description="A payee's new name.")
class RenamePayeeInput:
    id: strawberry.ID = strawberry.field(description="The payee to rename.")
    name: str = strawberry.field(
        description="Its new name, up to 100 characters, not another payee's (merge those)."
    )


@strawberry.type(name="RenamePayeePayload", description="What renamePayee changed.")
class RenamePayeePayload:
    payee: Payee = strawberry.field(description="The payee as it is now.")


@strawberry.input(
    name="MergePayeesInput", description="Payees that are one and the same, and which stays."
)
class MergePayeesInput:
    source_ids: list[strawberry.ID] = strawberry.field(
        description="The payees to fold into the target (1 to 100); they are gone after."
    )
    target_id: strawberry.ID = strawberry.field(description="The payee that stays.")


@strawberry.type(name="MergePayeesPayload", description="What mergePayees did.")
class MergePayeesPayload:
    payee: Payee = strawberry.field(description="The payee that stayed (the target).")
    merged_payee_ids: list[strawberry.ID] = strawberry.field(
        description="The ids of the payees that are gone."
    )
    moved_transaction_count: int = strawberry.field(
        description="Transactions that had a source payee and now have the target."
    )


@strawberry.type
class PayeeQueries:
    @strawberry.field
    async def payees(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        search: Annotated[
            str | None,
            strawberry.argument(description="Only payees whose name holds this text (any case)."),
        ] = None,
    ) -> PayeeConnection:
        """The caller's payees, by name (A to Z)."""
        user_id = info.context.require_user()
        size = page_size(first)
        async with read_session() as session:
            page = await payee_service.payee_page(
                session, user_id, search=search, first=size, after=after
            )
        edges = [
            PayeeEdge(cursor=payee_service.payee_cursor(row), node=Payee.from_row(row))
            for row in page.rows
        ]
        return PayeeConnection(
            edges=edges,
            page_info=PageInfo.of(
                [edge.cursor for edge in edges], has_next_page=page.has_next_page, after=after
            ),
            search=page.search,
            user_id=user_id,
        )

    @strawberry.field
    async def payee(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="Its id.")]
    ) -> Payee:
        """One of the caller's payees."""
        return await resolve_payee(info, decode_id("Payee", id))


@strawberry.type
class PayeeMutations:
    @strawberry.mutation
    async def rename_payee(
        self, info: Info, input: Annotated[RenamePayeeInput, INPUT]
    ) -> RenamePayeePayload:
        """Rename a payee. Descriptions that read like the new name find it from then on."""
        user_id = info.context.require_user()
        payee_id = decode_id("Payee", input.id, "input.id")
        async with unit_of_work() as work:
            row = await payee_service.rename_payee(work, user_id, payee_id, input.name)
        return RenamePayeePayload(payee=Payee.from_row(row))

    @strawberry.mutation
    async def merge_payees(
        self, info: Info, input: Annotated[MergePayeesInput, INPUT]
    ) -> MergePayeesPayload:
        """Fold payees into one: their transactions move to the target, and descriptions that
        meant a source payee mean the target from now on."""
        user_id = info.context.require_user()
        sources = [decode_id("Payee", value, "input.sourceIds") for value in input.source_ids]
        target = decode_id("Payee", input.target_id, "input.targetId")
        async with unit_of_work() as work:
            # Before the sources go (rules that set one would let go of it).
            await rule_service.follow_payee_merge(work, user_id, sources, target)
            merge = await payee_service.merge_payees(work, user_id, sources, target)
        return MergePayeesPayload(
            payee=Payee.from_row(merge.payee),
            merged_payee_ids=[strawberry.ID(encode_id("Payee", i)) for i in merge.merged_ids],
            moved_transaction_count=merge.moved_transactions,
        )
