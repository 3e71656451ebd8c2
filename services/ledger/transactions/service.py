"""Transactions recorded by hand (a bank's arrive through bank_ingest): creating, editing and
deleting them, and listing them a page at a time.

Every change is announced to the notifier after commit. A bank transaction's date, amount
and description belong to the bank; its category and notes are the user's.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger import rows
from services.ledger.accounts import service as account_service
from services.ledger.categories import service as category_service
from services.ledger.currencies import service as currency_service
from services.ledger.events import announce_transactions_changed
from services.ledger.models import CATEGORY_SOURCE_USER, MAX_DESCRIPTION, MAX_NOTES, Transaction
from services.ledger.periods import check_date
from services.ledger.transactions import repository
from shared.db import UnitOfWork
from shared.errors import BadUserInput, NotFound
from shared.money import Money
from shared.pagination import Keyset, Page
from shared.validation import clean_text

MAX_SEARCH = 200

TransactionQuery = repository.TransactionQuery

V = TypeVar("V")


def _optional_notes(notes: str | None, field: str) -> str | None:
    if notes is None:
        return None
    return clean_text(notes, field, max_length=MAX_NOTES, required=False, multiline=True) or None


class Keep(enum.Enum):
    """An update field the caller left out (as opposed to setting it to null)."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True)
class NewTransaction:
    account_id: uuid.UUID
    date: dt.date
    amount: Decimal
    description: str
    category_id: uuid.UUID | None = None
    notes: str | None = None


@dataclass(frozen=True)
class TransactionChanges:
    date: dt.date | Keep | None = KEEP
    amount: Decimal | Keep | None = KEEP
    description: str | Keep | None = KEEP
    category_id: uuid.UUID | Keep | None = KEEP
    notes: str | Keep | None = KEEP


async def create_transaction(
    work: UnitOfWork, user_id: uuid.UUID, new: NewTransaction
) -> Transaction:
    session = work.session
    account = await account_service.require_open_account(
        session, user_id, new.account_id, "input.accountId"
    )
    day = check_date(new.date, "input.date")
    amount = Money.parse(new.amount, account.currency, "input.amount")
    description = clean_text(new.description, "input.description", max_length=MAX_DESCRIPTION)
    notes = _optional_notes(new.notes, "input.notes")
    if new.category_id is not None:
        await category_service.require_category(session, user_id, new.category_id)
    transaction = Transaction(
        user_id=user_id,
        account_id=account.id,
        date=day,
        amount_minor=amount.minor,
        currency=amount.currency,
        description=description,
        notes=notes,
        category_id=new.category_id,
        category_source=CATEGORY_SOURCE_USER if new.category_id is not None else None,
        pending=False,
    )
    await currency_service.convert_transactions(session, user_id, [transaction])
    rows.add(session, transaction)
    await session.flush()
    announce_transactions_changed(work, user_id, [transaction.id], [day])
    return transaction


async def require_transaction(
    session: AsyncSession, user_id: uuid.UUID, transaction_id: uuid.UUID
) -> Transaction:
    transaction = await repository.transaction_for_user(session, user_id, transaction_id)
    if transaction is None:
        raise NotFound("Transaction")
    return transaction


async def update_transaction(
    work: UnitOfWork, user_id: uuid.UUID, transaction_id: uuid.UUID, changes: TransactionChanges
) -> Transaction:
    """Edit a transaction. A bank transaction's date, amount and description belong to the
    bank (the next sync would silently undo an edit); its category and notes are the user's."""
    session = work.session
    transaction = await require_transaction(session, user_id, transaction_id)
    from_bank = transaction.item_ref is not None
    old_date, old_amount = transaction.date, transaction.amount_minor

    if not isinstance(changes.date, Keep):
        day = _required(changes.date, "input.date", from_bank)
        transaction.date = check_date(day, "input.date")
    if not isinstance(changes.amount, Keep):
        amount = _required(changes.amount, "input.amount", from_bank)
        transaction.amount_minor = Money.parse(amount, transaction.currency, "input.amount").minor
    if not isinstance(changes.description, Keep):
        text = _required(changes.description, "input.description", from_bank)
        transaction.description = clean_text(text, "input.description", max_length=MAX_DESCRIPTION)
    if not isinstance(changes.category_id, Keep):
        if changes.category_id is not None:
            await category_service.require_category(session, user_id, changes.category_id)
        # Even "no category" is the user's choice: the bank's hint will not override it.
        transaction.category_id = changes.category_id
        transaction.category_source = CATEGORY_SOURCE_USER
    if not isinstance(changes.notes, Keep):
        transaction.notes = _optional_notes(changes.notes, "input.notes")

    if (transaction.date, transaction.amount_minor) != (old_date, old_amount):
        # A new date or amount is a new figure, at the rate in force on its date.
        await currency_service.convert_transactions(session, user_id, [transaction])
    if session.is_modified(transaction):
        await session.flush()
        announce_transactions_changed(work, user_id, [transaction.id], {old_date, transaction.date})
    return transaction


def _required(value: V | None, field: str, from_bank: bool) -> V:
    if from_bank:
        raise BadUserInput(field, "comes from the bank and cannot be edited")
    if value is None:
        raise BadUserInput(field, "must not be null")
    return value


async def delete_transaction(
    work: UnitOfWork, user_id: uuid.UUID, transaction_id: uuid.UUID
) -> None:
    """Delete a manual transaction. Bank transactions are removed by the bank only: deleting one
    here would be undone (or duplicated) by the next sync."""
    session = work.session
    transaction = await require_transaction(session, user_id, transaction_id)
    if transaction.item_ref is not None:
        raise BadUserInput("id", "is a bank transaction; the bank removes those")
    await rows.delete(session, [transaction])
    announce_transactions_changed(work, user_id, [transaction.id], [transaction.date])


@dataclass(frozen=True)
class TransactionFilter:
    account_id: uuid.UUID | None = None
    category_id: uuid.UUID | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    search: str | None = None


@dataclass(frozen=True)
class TransactionPage:
    rows: list[Transaction]
    has_next_page: bool
    query: TransactionQuery

    @property
    def end_cursor(self) -> str | None:
        return transaction_cursor(self.rows[-1]) if self.rows else None


def transaction_cursor(transaction: Transaction) -> str:
    return Keyset(transaction.date, transaction.id).cursor()


async def transaction_query(
    session: AsyncSession, user_id: uuid.UUID, given: TransactionFilter
) -> TransactionQuery:
    """Check a filter: its ids must be the user's, its dates sane, its search bounded."""
    if given.account_id is not None:
        await account_service.require_account(session, user_id, given.account_id)
    if given.category_id is not None:
        await category_service.require_category(session, user_id, given.category_id)
    if given.date_from is not None:
        check_date(given.date_from, "filter.from")
    if given.date_to is not None:
        check_date(given.date_to, "filter.to")
    if given.date_from and given.date_to and given.date_to < given.date_from:
        raise BadUserInput("filter.to", "must not be before filter.from")
    search = None
    if given.search is not None:
        search = clean_text(given.search, "filter.search", max_length=MAX_SEARCH, required=False)
    return TransactionQuery(
        user_id=user_id,
        account_id=given.account_id,
        category_id=given.category_id,
        date_from=given.date_from,
        date_to=given.date_to,
        search=search or None,
    )


async def transaction_page(
    session: AsyncSession,
    user_id: uuid.UUID,
    given: TransactionFilter,
    *,
    first: int,
    after: str | None,
) -> TransactionPage:
    """A page of the user's transactions, newest first, by keyset (stable under inserts)."""
    keyset = Keyset.parse(after, dt.date.fromisoformat) if after is not None else None
    query = await transaction_query(session, user_id, given)
    fetched = await repository.transaction_page(session, query, after=keyset, limit=first + 1)
    page = Page.of(fetched, first)
    return TransactionPage(rows=page.rows, has_next_page=page.has_next_page, query=query)


async def count_transactions(session: AsyncSession, query: TransactionQuery) -> int:
    return await repository.count_transactions(session, query)


async def transactions_by_ids(
    session: AsyncSession, user_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[Transaction]:
    return await repository.transactions_by_ids(session, user_id, list(dict.fromkeys(ids)))
