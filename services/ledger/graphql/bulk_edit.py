"""The `bulkEditTransactions` mutation: one edit of many transactions, chosen by ids or by the
filter language."""

from __future__ import annotations

from typing import Annotated

import strawberry

from services.ledger.graphql.inputs import BulkEditTransactionsInput
from services.ledger.graphql.transactions import filter_from_input
from services.ledger.transactions import bulk_edit as bulk_service
from services.ledger.transactions.service import KEEP
from shared.db import unit_of_work
from shared.graphql import INPUT, Info
from shared.ids import decode_id


@strawberry.type(name="BulkEditTransactionsPayload", description="What bulkEditTransactions did.")
class BulkEditTransactionsPayload:
    matched_count: int = strawberry.field(description="How many transactions were chosen.")
    changed_count: int = strawberry.field(
        description="How many of them the edit changed (the others were so already)."
    )


@strawberry.type
class BulkEditMutations:
    @strawberry.mutation
    async def bulk_edit_transactions(
        self, info: Info, input: Annotated[BulkEditTransactionsInput, INPUT]
    ) -> BulkEditTransactionsPayload:
        """Recategorize, tag, untag, or mark reviewed many transactions at once, all or none
        (at most 10000: a filter matching more is refused, narrow it)."""
        user_id = info.context.require_user()
        category_id = KEEP if input.set_category_id is strawberry.UNSET else input.set_category_id
        edit = bulk_service.BulkEdit(
            ids=(
                [decode_id("Transaction", value, "input.ids") for value in input.ids]
                if input.ids is not None
                else None
            ),
            filter=(
                filter_from_input(input.filter, "input.filter")
                if input.filter is not None
                else None
            ),
            category_id=(
                decode_id("Category", category_id, "input.setCategoryId")
                if isinstance(category_id, str)
                else category_id
            ),
            add_tag_ids=[decode_id("Tag", v, "input.addTagIds") for v in input.add_tag_ids or []],
            remove_tag_ids=[
                decode_id("Tag", v, "input.removeTagIds") for v in input.remove_tag_ids or []
            ],
            reviewed=KEEP if input.set_reviewed is strawberry.UNSET else input.set_reviewed,
        )
        async with unit_of_work() as work:
            result = await bulk_service.bulk_edit(work, user_id, edit)
        return BulkEditTransactionsPayload(
            matched_count=result.matched, changed_count=result.changed
        )
