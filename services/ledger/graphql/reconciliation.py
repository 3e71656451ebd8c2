"""Reconciling an account against a statement (`reconcileAccount`) and marking transactions
cleared or not (`setTransactionsCleared`)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from services.ledger.accounts import reconciliation as reconciliation_service
from services.ledger.graphql.accounts import Account, Reconciliation
from services.ledger.graphql.inputs import ReconcileAccountInput, SetTransactionsClearedInput
from services.ledger.graphql.transactions import Transaction
from shared.db import unit_of_work
from shared.graphql import INPUT, Info
from shared.ids import decode_id


@strawberry.type(description="What reconcileAccount did.")
class ReconcileAccountPayload:
    account: Account = strawberry.field(description="The account, with its cleared balance.")
    reconciliation: Reconciliation = strawberry.field(
        description="The recorded reconciliation, with the difference left to find."
    )
    newly_cleared_count: int = strawberry.field(
        description="How many transactions this marked cleared (not counting those cleared "
        "already)."
    )


@strawberry.type(description="What setTransactionsCleared changed.")
class SetTransactionsClearedPayload:
    transactions: list[Transaction] = strawberry.field(
        description="The transactions as they are now, in the order asked."
    )


@strawberry.type
class ReconciliationMutations:
    @strawberry.mutation
    async def reconcile_account(
        self, info: Info, input: Annotated[ReconcileAccountInput, INPUT]
    ) -> ReconcileAccountPayload:
        """Match an account against a bank statement: mark cleared what the statement shows,
        and record how the cleared balance compares with the statement's balance."""
        user_id = info.context.require_user()
        account_id = decode_id("Account", input.id, "input.id")
        transaction_ids = (
            [
                decode_id("Transaction", value, "input.transactionIds")
                for value in input.transaction_ids
            ]
            if input.transaction_ids is not None
            else None
        )
        async with unit_of_work() as work:
            result = await reconciliation_service.reconcile_account(
                work,
                user_id,
                account_id,
                statement_date=input.statement_date,
                statement_balance=input.statement_balance,
                transaction_ids=transaction_ids,
                as_of=info.context.today(),
            )
        return ReconcileAccountPayload(
            account=Account.from_row(result.account),
            reconciliation=Reconciliation.from_row(result.reconciliation),
            newly_cleared_count=result.newly_cleared,
        )

    @strawberry.mutation
    async def set_transactions_cleared(
        self, info: Info, input: Annotated[SetTransactionsClearedInput, INPUT]
    ) -> SetTransactionsClearedPayload:
        """Mark transactions cleared (they match a statement) or not cleared."""
        user_id = info.context.require_user()
        ids = [decode_id("Transaction", value, "input.ids") for value in input.ids]
        async with unit_of_work() as work:
            rows = await reconciliation_service.set_transactions_cleared(
                work, user_id, ids, input.cleared
            )
        return SetTransactionsClearedPayload(
            transactions=[Transaction.from_row(row) for row in rows]
        )
