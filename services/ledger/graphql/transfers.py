"""Transfers between the caller's own accounts: `createTransfer`, the `transferCandidates`
query (pairs that look like one), and `linkTransfer` / `unlinkTransfer` to confirm or undo."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from services.ledger.graphql.inputs import (
    CreateTransferInput,
    LinkTransferInput,
    UnlinkTransferInput,
)
from services.ledger.graphql.transactions import Transaction
from services.ledger.transactions import transfers as transfer_service
from shared.db import read_session, unit_of_work
from shared.graphql import INPUT, First, Info
from shared.ids import decode_id
from shared.pagination import page_size


@strawberry.type(
    name="TransferCandidate",
    description="Two of the user's transactions that look like one transfer: money out of one "
    "account and the same amount into another, dated at most 5 days apart. linkTransfer "
    "confirms it.",
)
class TransferCandidate:
    outflow: Transaction = strawberry.field(description="The money out.")
    inflow: Transaction = strawberry.field(description="The money in.")
    days_apart: int = strawberry.field(description="How many days lie between their dates.")


@strawberry.type(name="CreateTransferPayload", description="What createTransfer recorded.")
class CreateTransferPayload:
    outflow: Transaction = strawberry.field(description="The money out of the first account.")
    inflow: Transaction = strawberry.field(description="The money into the second account.")


@strawberry.type(name="LinkTransferPayload", description="What linkTransfer linked.")
class LinkTransferPayload:
    outflow: Transaction = strawberry.field(description="The money out.")
    inflow: Transaction = strawberry.field(description="The money in.")


@strawberry.type(name="UnlinkTransferPayload", description="What unlinkTransfer undid.")
class UnlinkTransferPayload:
    transactions: list[Transaction] = strawberry.field(
        description="The transactions that were the transfer (ordinary ones now)."
    )


@strawberry.type
class TransferQueries:
    @strawberry.field
    async def transfer_candidates(
        self,
        info: Info,
        from_: Annotated[
            dt.date | None,
            strawberry.argument(
                name="from", description="The first day of the money out; 90 days ago if null."
            ),
        ] = None,
        to: Annotated[
            dt.date | None,
            strawberry.argument(description="The last day of the money out; today if null."),
        ] = None,
        first: First = None,
    ) -> list[TransferCandidate]:
        """Pairs of the caller's unlinked transactions that look like transfers between their
        accounts (the range under ten years), closest first per transaction, newest first;
        each transaction is in one pair at most."""
        user_id = info.context.require_user()
        size = page_size(first)
        today = info.context.today()
        date_to = to or today
        date_from = from_ or (date_to - dt.timedelta(days=90))
        async with read_session() as session:
            found = await transfer_service.transfer_candidates(
                session, user_id, date_from, date_to, limit=size
            )
        return [
            TransferCandidate(
                outflow=Transaction.from_row(pair.outflow),
                inflow=Transaction.from_row(pair.inflow),
                days_apart=pair.days_apart,
            )
            for pair in found
        ]


@strawberry.type
class TransferMutations:
    @strawberry.mutation
    async def create_transfer(
        self, info: Info, input: Annotated[CreateTransferInput, INPUT]
    ) -> CreateTransferPayload:
        """Record money moved between two of the caller's accounts: both halves, linked.
        Balances see both; spending, income and budgets see neither."""
        user_id = info.context.require_user()
        new = transfer_service.NewTransfer(
            from_account_id=decode_id("Account", input.from_account_id, "input.fromAccountId"),
            to_account_id=decode_id("Account", input.to_account_id, "input.toAccountId"),
            date=input.date,
            amount=input.amount,
            to_amount=input.to_amount,
            description=input.description,
            notes=input.notes,
        )
        async with unit_of_work() as work:
            made = await transfer_service.create_transfer(work, user_id, new)
        return CreateTransferPayload(
            outflow=Transaction.from_row(made.outflow), inflow=Transaction.from_row(made.inflow)
        )

    @strawberry.mutation
    async def link_transfer(
        self, info: Info, input: Annotated[LinkTransferInput, INPUT]
    ) -> LinkTransferPayload:
        """Confirm that two transactions are one transfer (a candidate, or a pair the user
        knows): from now on neither counts as spending or income."""
        user_id = info.context.require_user()
        ids = [decode_id("Transaction", value, "input.ids") for value in input.ids]
        async with unit_of_work() as work:
            linked = await transfer_service.link_transfer(work, user_id, ids)
        return LinkTransferPayload(
            outflow=Transaction.from_row(linked.outflow), inflow=Transaction.from_row(linked.inflow)
        )

    @strawberry.mutation
    async def unlink_transfer(
        self, info: Info, input: Annotated[UnlinkTransferInput, INPUT]
    ) -> UnlinkTransferPayload:
        """Undo a transfer: both halves count as ordinary money out and in again."""
        user_id = info.context.require_user()
        transaction_id = decode_id("Transaction", input.id, "input.id")
        async with unit_of_work() as work:
            rows = await transfer_service.unlink_transfer(work, user_id, transaction_id)
        return UnlinkTransferPayload(transactions=[Transaction.from_row(row) for row in rows])
