"""The `splitTransaction` and `unsplitTransaction` mutations (the parts show on
`Transaction.splits`)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from services.ledger.graphql.inputs import SplitTransactionInput, UnsplitTransactionInput
from services.ledger.graphql.transactions import Transaction
from services.ledger.transactions import splits as split_service
from shared.db import unit_of_work
from shared.graphql import INPUT, Info
from shared.ids import decode_id


@strawberry.type(name="SplitTransactionPayload", description="What splitTransaction did.")
class SplitTransactionPayload:
    transaction: Transaction = strawberry.field(description="The transaction, with its parts.")


@strawberry.type(name="UnsplitTransactionPayload", description="What unsplitTransaction did.")
class UnsplitTransactionPayload:
    transaction: Transaction = strawberry.field(description="The transaction, whole again.")


@strawberry.type
class SplitMutations:
    @strawberry.mutation
    async def split_transaction(
        self, info: Info, input: Annotated[SplitTransactionInput, INPUT]
    ) -> SplitTransactionPayload:
        """Split a transaction into parts, each with its own amount, category and notes; they
        must add up to its amount exactly. Budgets and reports count the parts instead of it.
        A bank transaction stays split through syncs and when it posts."""
        user_id = info.context.require_user()
        transaction_id = decode_id("Transaction", input.id, "input.id")
        parts = [
            split_service.NewPart(
                amount=part.amount,
                category_id=(
                    decode_id("Category", part.category_id, f"input.parts[{index}].categoryId")
                    if part.category_id is not None
                    else None
                ),
                notes=part.notes,
            )
            for index, part in enumerate(input.parts)
        ]
        async with unit_of_work() as work:
            row = await split_service.split_transaction(work, user_id, transaction_id, parts)
        return SplitTransactionPayload(transaction=Transaction.from_row(row))

    @strawberry.mutation
    async def unsplit_transaction(
        self, info: Info, input: Annotated[UnsplitTransactionInput, INPUT]
    ) -> UnsplitTransactionPayload:
        """Make a split transaction whole: its parts are gone and it counts by its own category
        again. A transaction that is not split is left as it is."""
        user_id = info.context.require_user()
        transaction_id = decode_id("Transaction", input.id, "input.id")
        async with unit_of_work() as work:
            row = await split_service.unsplit_transaction(work, user_id, transaction_id)
        return UnsplitTransactionPayload(transaction=Transaction.from_row(row))
