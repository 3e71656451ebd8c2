"""The Transaction type and its connection, the `transactions` query (filtered, keyset-paged)
and the create, update and delete mutations."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import strawberry

from services.ledger import models
from services.ledger.graphql.accounts import Account, load_account
from services.ledger.graphql.categories import Category, load_category
from services.ledger.graphql.currencies import ConvertedAmount
from services.ledger.graphql.inputs import (
    CreateTransactionInput,
    TransactionFilter,
    UpdateTransactionInput,
)
from services.ledger.transactions import service as transaction_service
from shared.db import read_session, unit_of_work
from shared.graphql import Info, MoneyType, PageInfo
from shared.ids import decode_id, encode_id
from shared.money import Money
from shared.pagination import page_size


@strawberry.type(name="Transaction")
class Transaction:
    id: strawberry.ID
    date: dt.date
    amount: MoneyType
    description: str
    pending: bool
    notes: str | None
    converted: ConvertedAmount | None = strawberry.field(
        description="The amount in the base currency at the rate kept with it; null for a "
        "transaction in the base currency, and while no rate on or before its date exists."
    )
    account_id: strawberry.Private[uuid.UUID]
    category_id: strawberry.Private[uuid.UUID | None]

    @classmethod
    def from_row(cls, row: models.Transaction) -> Transaction:
        return cls(
            id=strawberry.ID(encode_id("Transaction", row.id)),
            date=row.date,
            amount=MoneyType.of(Money(row.amount_minor, row.currency)),
            description=row.description,
            pending=row.pending,
            notes=row.notes,
            converted=ConvertedAmount.from_row(row),
            account_id=row.account_id,
            category_id=row.category_id,
        )

    @strawberry.field
    async def account(self, info: Info) -> Account:
        return await load_account(info, self.account_id)

    @strawberry.field
    async def category(self, info: Info) -> Category | None:
        return await load_category(info, self.category_id)


@strawberry.type(name="TransactionEdge")
class TransactionEdge:
    cursor: str
    node: Transaction


@strawberry.type(name="TransactionConnection")
class TransactionConnection:
    edges: list[TransactionEdge]
    page_info: PageInfo
    query: strawberry.Private[transaction_service.TransactionQuery]

    @classmethod
    def from_page(cls, page: transaction_service.TransactionPage) -> TransactionConnection:
        return cls(
            edges=[
                TransactionEdge(
                    cursor=transaction_service.transaction_cursor(row),
                    node=Transaction.from_row(row),
                )
                for row in page.rows
            ],
            page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
            query=page.query,
        )

    @strawberry.field
    async def total_count(self) -> int:
        """How many transactions match the filter (all pages)."""
        async with read_session() as session:
            return await transaction_service.count_transactions(session, self.query)


@strawberry.type
class TransactionQueries:
    @strawberry.field
    async def transactions(
        self,
        info: Info,
        filter: TransactionFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> TransactionConnection:
        """Newest first (by date, then id); at most 100 a page."""
        user_id = info.context.require_user()
        size = page_size(first)
        given = _filter(filter)
        async with read_session() as session:
            page = await transaction_service.transaction_page(
                session, user_id, given, first=size, after=after
            )
        return TransactionConnection.from_page(page)


@strawberry.type
class TransactionMutations:
    @strawberry.mutation
    async def create_transaction(self, info: Info, input: CreateTransactionInput) -> Transaction:
        user_id = info.context.require_user()
        new = transaction_service.NewTransaction(
            account_id=decode_id("Account", input.account_id, "input.accountId"),
            date=input.date,
            amount=input.amount,
            description=input.description,
            category_id=_optional_id("Category", input.category_id, "input.categoryId"),
            notes=input.notes,
        )
        async with unit_of_work() as work:
            row = await transaction_service.create_transaction(work, user_id, new)
        return Transaction.from_row(row)

    @strawberry.mutation
    async def update_transaction(
        self, info: Info, id: strawberry.ID, input: UpdateTransactionInput
    ) -> Transaction:
        user_id = info.context.require_user()
        transaction_id = decode_id("Transaction", id, "id")
        category_id = _kept(input.category_id)
        if isinstance(category_id, str):
            category_id = decode_id("Category", category_id, "input.categoryId")
        changes = transaction_service.TransactionChanges(
            date=_kept(input.date),
            amount=_kept(input.amount),
            description=_kept(input.description),
            category_id=category_id,
            notes=_kept(input.notes),
        )
        async with unit_of_work() as work:
            row = await transaction_service.update_transaction(
                work, user_id, transaction_id, changes
            )
        return Transaction.from_row(row)

    @strawberry.mutation
    async def delete_transaction(self, info: Info, id: strawberry.ID) -> bool:
        user_id = info.context.require_user()
        transaction_id = decode_id("Transaction", id, "id")
        async with unit_of_work() as work:
            await transaction_service.delete_transaction(work, user_id, transaction_id)
        return True


def _filter(given: TransactionFilter | None) -> transaction_service.TransactionFilter:
    if given is None:
        return transaction_service.TransactionFilter()
    return transaction_service.TransactionFilter(
        account_id=_optional_id("Account", given.account_id, "filter.accountId"),
        category_id=_optional_id("Category", given.category_id, "filter.categoryId"),
        date_from=given.from_,
        date_to=given.to,
        search=given.search,
    )


def _optional_id(kind: str, value: strawberry.ID | None, field: str) -> uuid.UUID | None:
    return decode_id(kind, value, field) if value is not None else None


def _kept(value: Any) -> Any:
    return transaction_service.KEEP if value is strawberry.UNSET else value
