"""The Transaction type (with its payee, tags, split parts and transfer) and its connection,
the `transactions` (filtered, keyset-paged) and `transaction` queries, and the create, update
and delete mutations. `filter_from_input` reads the filter language for every field using it."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Awaitable, Sequence
from typing import Annotated, Any

import strawberry

from services.ledger import models
from services.ledger.graphql import loaders
from services.ledger.graphql.accounts import Account, account_of_row
from services.ledger.graphql.categories import Category, category_of_row, load_category
from services.ledger.graphql.currencies import ConvertedAmount
from services.ledger.graphql.inputs import (
    CreateTransactionInput,
    DeleteTransactionInput,
    TransactionDirection,
    TransactionFilter,
    UpdateTransactionInput,
)
from services.ledger.graphql.payees import Payee, payee_of_row
from services.ledger.graphql.tags import Tag, load_transaction_tags
from services.ledger.reports import counts as report_counts
from services.ledger.transactions import filters
from services.ledger.transactions import service as transaction_service
from services.ledger.transactions import splits as split_service
from shared.db import read_session, unit_of_work
from shared.errors import NotFound
from shared.graphql import (
    INPUT,
    After,
    First,
    Info,
    MoneyType,
    Node,
    PageInfo,
    loaded,
    selected_under,
)
from shared.ids import decode_id, encode_id
from shared.money import Money
from shared.pagination import page_size


@strawberry.type(name="Transaction", description="Money in or out of one of the user's accounts.")
class Transaction(Node):
    date: dt.date = strawberry.field(description="When it happened (the bank's date if linked).")
    amount: MoneyType = strawberry.field(
        description="In the account's currency: money in positive, money out negative."
    )
    description: str = strawberry.field(description="What it was, e.g. the merchant's name.")
    pending: bool = strawberry.field(
        description="Whether the bank still holds it as pending (it may change or vanish)."
    )
    notes: str | None = strawberry.field(description="The user's own notes.")
    converted: ConvertedAmount | None = strawberry.field(
        description="The amount in the base currency at the rate kept with it; null for a "
        "transaction in the base currency, and while no rate on or before its date exists."
    )
    cleared: bool = strawberry.field(
        description="Whether the user matched it against a statement (reconciliation)."
    )
    cleared_at: dt.datetime | None = strawberry.field(
        description="When it was marked cleared; null while it is not."
    )
    reviewed: bool = strawberry.field(
        description="Whether the user has looked at it (new bank transactions have not)."
    )
    row: strawberry.Private[models.Transaction]

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
            cleared=row.cleared,
            cleared_at=row.cleared_at,
            reviewed=row.reviewed,
            row=row,
        )

    # Plain functions returning the loaded value (or an awaitable of it): a page preloads
    # what its items ask for (preload_page), so these complete without a task each.
    @strawberry.field
    def account(self, info: Info) -> Account:
        """The account it is in."""
        return loaded(loaders.accounts(info), self.row.account_id, account_of_row)  # type: ignore[no-any-return]

    @strawberry.field
    def category(self, info: Info) -> Category | None:
        """Its category; null when uncategorized. While it is split, its parts' categories
        count instead (see splits), and this one counts again once it is unsplit."""
        if self.row.category_id is None:
            return None
        return loaded(loaders.categories(info), self.row.category_id, category_of_row)  # type: ignore[no-any-return]

    @strawberry.field
    def payee(self, info: Info) -> Payee | None:
        """Whom the money went to or came from; null when nothing names one."""
        if self.row.payee_id is None:
            return None
        return loaded(loaders.payees(info), self.row.payee_id, payee_of_row)  # type: ignore[no-any-return]

    @strawberry.field
    async def tags(self, info: Info) -> list[Tag]:
        """Its tags, by name."""
        return await load_transaction_tags(info, self.row.id)

    @strawberry.field
    async def splits(self, info: Info) -> list[TransactionSplit]:
        """Its parts when it is split (they add up to its amount exactly), else empty."""
        parts = await loaders.transaction_parts(info).load(self.row.id)
        figures = split_service.part_figures(self.row, parts)
        return [
            TransactionSplit.of(part, self.row, figure)
            for part, figure in zip(parts, figures, strict=True)
        ]

    @strawberry.field
    def transfer(self) -> Transfer | None:
        """The transfer between the user's accounts it is half of; null when it is none."""
        counterpart = self.row.transfer_counterpart_id
        return Transfer(counterpart_id=counterpart) if counterpart is not None else None


@strawberry.type(
    name="TransactionSplit",
    description="One part of a split transaction, counted by budgets and reports in its own "
    "category.",
)
class TransactionSplit:
    amount: MoneyType = strawberry.field(
        description="In the transaction's currency, of the transaction's sign."
    )
    notes: str | None = strawberry.field(description="The user's notes on this part.")
    converted: MoneyType | None = strawberry.field(
        description="Its share of the transaction's figure in the base currency (the shares "
        "add up to it exactly); null when the transaction has none."
    )
    category_id: strawberry.Private[uuid.UUID | None]

    @classmethod
    def of(
        cls, part: models.TransactionSplit, transaction: models.Transaction, figure: int | None
    ) -> TransactionSplit:
        converted = None
        if figure is not None and transaction.converted_currency is not None:
            converted = MoneyType.of(Money(figure, transaction.converted_currency))
        return cls(
            amount=MoneyType.of(Money(part.amount_minor, transaction.currency)),
            notes=part.notes,
            converted=converted,
            category_id=part.category_id,
        )

    @strawberry.field
    async def category(self, info: Info) -> Category | None:
        """This part's category; null when uncategorized."""
        return await load_category(info, self.category_id)


@strawberry.type(
    name="Transfer",
    description="Money moved between two of the user's own accounts: counted in balances, "
    "never as spending or income.",
)
class Transfer:
    counterpart_id: strawberry.Private[uuid.UUID]

    @strawberry.field
    async def counterpart(self, info: Info) -> Transaction:
        """The other half: the same money arriving in (or leaving) the other account."""
        row = await loaders.transactions(info).load(self.counterpart_id)
        if row is None:
            raise NotFound("Transaction")
        return Transaction.from_row(row)


@strawberry.type(name="TransactionEdge", description="A transaction in a list, with its cursor.")
class TransactionEdge:
    cursor: str = strawberry.field(description="Pass as `after` to list what comes after it.")
    node: Transaction = strawberry.field(description="The transaction.")


@strawberry.type(name="TransactionConnection", description="A page of transactions, newest first.")
class TransactionConnection:
    edges: list[TransactionEdge] = strawberry.field(description="This page's transactions.")
    page_info: PageInfo = strawberry.field(description="Where this page starts and ends.")
    query: strawberry.Private[transaction_service.TransactionQuery]

    @classmethod
    def from_page(
        cls, page: transaction_service.TransactionPage, after: str | None
    ) -> TransactionConnection:
        edges = [
            TransactionEdge(
                cursor=transaction_service.transaction_cursor(row), node=Transaction.from_row(row)
            )
            for row in page.rows
        ]
        return cls(
            edges=edges,
            page_info=PageInfo.of(
                [edge.cursor for edge in edges], has_next_page=page.has_next_page, after=after
            ),
            query=page.query,
        )

    @strawberry.field
    async def total_count(self) -> int:
        """How many transactions match the filter (all pages)."""
        span = self.query.span
        async with read_session() as session:
            if span is not None:
                # No more than accounts, dates and categories: read from the monthly totals.
                counted = await report_counts.count_transactions(
                    session,
                    self.query.user_id,
                    span.account_ids,
                    span.date_from,
                    span.date_to,
                    category_ids=span.category_ids,
                    in_categories=span.in_categories,
                )
                if counted is not None:
                    return counted
            return await transaction_service.count_transactions(session, self.query)


async def resolve_transaction(info: Info, transaction_id: uuid.UUID) -> Transaction:
    """The caller's transaction (for `transaction(id:)` and `node(id:)`); NOT_FOUND otherwise."""
    user_id = info.context.require_user()
    async with read_session() as session:
        row = await transaction_service.require_transaction(session, user_id, transaction_id)
    return Transaction.from_row(row)


@strawberry.type(description="What createTransaction recorded.")
class CreateTransactionPayload:
    transaction: Transaction = strawberry.field(description="The new transaction.")


@strawberry.type(description="What updateTransaction changed.")
class UpdateTransactionPayload:
    transaction: Transaction = strawberry.field(description="The transaction as it is now.")


@strawberry.type(description="What deleteTransaction removed.")
class DeleteTransactionPayload:
    deleted_transaction_id: strawberry.ID = strawberry.field(
        description="The id of the transaction that is gone."
    )


async def preload_page(
    info: Info,
    rows: Sequence[models.Transaction],
    page: transaction_service.TransactionPage | None = None,
) -> None:
    """Load the accounts, categories and payees a page's items are asked for, one batch each
    and at once, before the items' fields ask: then each completes synchronously. What the
    `page` brought along (its accounts and categories, read with it) primes the loaders."""
    wanted = selected_under(info, "edges", "node")
    loads: list[Awaitable[Any]] = []
    if page is not None:
        loaders.accounts(info).prime_many(page.accounts)
        loaders.categories(info).prime_many(page.categories)
    if "account" in wanted:
        loads.append(loaders.accounts(info).load_many({row.account_id for row in rows}))
    if "category" in wanted:
        ids = {row.category_id for row in rows if row.category_id is not None}
        loads.append(loaders.categories(info).load_many(ids))
    if "payee" in wanted:
        ids = {row.payee_id for row in rows if row.payee_id is not None}
        loads.append(loaders.payees(info).load_many(ids))
    await asyncio.gather(*loads)


@strawberry.type
class TransactionQueries:
    @strawberry.field
    async def transactions(
        self,
        info: Info,
        filter: Annotated[
            TransactionFilter | None,
            strawberry.argument(description="Which ones; all when null."),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> TransactionConnection:
        """The caller's transactions, newest first (by date, then id)."""
        user_id = info.context.require_user()
        size = page_size(first)
        given = filter_from_input(filter)
        wanted = selected_under(info, "edges", "node")
        async with read_session() as session:
            page = await transaction_service.transaction_page(
                session,
                user_id,
                given,
                first=size,
                after=after,
                with_accounts="account" in wanted,
                with_categories="category" in wanted,
            )
        await preload_page(info, page.rows, page)
        return TransactionConnection.from_page(page, after)

    @strawberry.field
    async def transaction(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="Its id.")]
    ) -> Transaction:
        """One of the caller's transactions."""
        return await resolve_transaction(info, decode_id("Transaction", id))


@strawberry.type
class TransactionMutations:
    @strawberry.mutation
    async def create_transaction(
        self, info: Info, input: Annotated[CreateTransactionInput, INPUT]
    ) -> CreateTransactionPayload:
        """Record a transaction by hand."""
        user_id = info.context.require_user()
        new = transaction_service.NewTransaction(
            account_id=decode_id("Account", input.account_id, "input.accountId"),
            date=input.date,
            amount=input.amount,
            description=input.description,
            category_id=_optional_id("Category", input.category_id, "input.categoryId"),
            notes=input.notes,
            payee_id=_optional_id("Payee", input.payee_id, "input.payeeId"),
            tag_ids=_ids("Tag", input.tag_ids or [], "input.tagIds"),
        )
        async with unit_of_work() as work:
            row = await transaction_service.create_transaction(work, user_id, new)
        return CreateTransactionPayload(transaction=Transaction.from_row(row))

    @strawberry.mutation
    async def update_transaction(
        self, info: Info, input: Annotated[UpdateTransactionInput, INPUT]
    ) -> UpdateTransactionPayload:
        """Change a transaction: its category, notes, payee, tags and reviewed flag always;
        its date, amount and description when recorded by hand."""
        user_id = info.context.require_user()
        transaction_id = decode_id("Transaction", input.id, "input.id")
        category_id = _kept(input.category_id)
        if isinstance(category_id, str):
            category_id = decode_id("Category", category_id, "input.categoryId")
        payee_id = _kept(input.payee_id)
        if isinstance(payee_id, str):
            payee_id = decode_id("Payee", payee_id, "input.payeeId")
        tag_ids = _kept(input.tag_ids)
        if isinstance(tag_ids, list):
            tag_ids = _ids("Tag", tag_ids, "input.tagIds")
        changes = transaction_service.TransactionChanges(
            date=_kept(input.date),
            amount=_kept(input.amount),
            description=_kept(input.description),
            category_id=category_id,
            notes=_kept(input.notes),
            payee_id=payee_id,
            tag_ids=tag_ids,
            reviewed=_kept(input.reviewed),
        )
        async with unit_of_work() as work:
            row = await transaction_service.update_transaction(
                work, user_id, transaction_id, changes
            )
        return UpdateTransactionPayload(transaction=Transaction.from_row(row))

    @strawberry.mutation
    async def delete_transaction(
        self, info: Info, input: Annotated[DeleteTransactionInput, INPUT]
    ) -> DeleteTransactionPayload:
        """Delete a transaction recorded by hand."""
        user_id = info.context.require_user()
        transaction_id = decode_id("Transaction", input.id, "input.id")
        async with unit_of_work() as work:
            await transaction_service.delete_transaction(work, user_id, transaction_id)
        return DeleteTransactionPayload(deleted_transaction_id=input.id)


def filter_from_input(
    given: TransactionFilter | None, field: str = "filter"
) -> filters.TransactionFilter:
    """The filter language as the service reads it; an id that is not one names its field."""
    if given is None:
        return filters.TransactionFilter()
    return filters.TransactionFilter(
        account_id=_optional_id("Account", given.account_id, f"{field}.accountId"),
        category_id=_optional_id("Category", given.category_id, f"{field}.categoryId"),
        date_from=given.from_,
        date_to=given.to,
        search=given.search,
        account_ids=_optional_ids("Account", given.account_ids, f"{field}.accountIds"),
        category_ids=_optional_ids("Category", given.category_ids, f"{field}.categoryIds"),
        payee_ids=_optional_ids("Payee", given.payee_ids, f"{field}.payeeIds"),
        tag_ids=_optional_ids("Tag", given.tag_ids, f"{field}.tagIds"),
        min_amount=given.min_amount,
        max_amount=given.max_amount,
        direction=_DIRECTIONS[given.direction] if given.direction is not None else None,
        pending=given.pending,
        reviewed=given.reviewed,
        uncategorized=given.uncategorized,
        is_transfer=given.is_transfer,
    )


_DIRECTIONS = {
    TransactionDirection.MONEY_IN: filters.Direction.MONEY_IN,
    TransactionDirection.MONEY_OUT: filters.Direction.MONEY_OUT,
}


def _ids(kind: str, values: list[strawberry.ID], field: str) -> list[uuid.UUID]:
    return [decode_id(kind, value, field) for value in values]


def _optional_ids(
    kind: str, values: list[strawberry.ID] | None, field: str
) -> list[uuid.UUID] | None:
    return _ids(kind, values, field) if values is not None else None


def _optional_id(kind: str, value: strawberry.ID | None, field: str) -> uuid.UUID | None:
    return decode_id(kind, value, field) if value is not None else None


def _kept(value: Any) -> Any:
    return transaction_service.KEEP if value is strawberry.UNSET else value
