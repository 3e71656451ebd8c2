"""Transactions recorded by hand (a bank's arrive through bank_ingest): creating, editing and
deleting them, and listing them a page at a time through the filter language (filters.py).

Every change is announced to the notifier after commit. A bank transaction's date, amount
and description belong to the bank; its category, notes, payee, tags and reviewed flag are
the user's. A transaction's payee follows its description until the user picks one.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger import rows
from services.ledger.accounts import service as account_service
from services.ledger.categories import service as category_service
from services.ledger.currencies import service as currency_service
from services.ledger.events import (
    announce_transactions_changed,
    transactions_added,
    transactions_changing,
    transactions_regrouped,
)
from services.ledger.models import (
    CATEGORY_SOURCE_USER,
    MAX_DESCRIPTION,
    MAX_NOTES,
    PAYEE_SOURCE_DERIVED,
    PAYEE_SOURCE_USER,
    TAGS_SOURCE_USER,
    Account,
    Category,
    Transaction,
)
from services.ledger.payees import service as payee_service
from services.ledger.periods import check_date
from services.ledger.tags import service as tag_service
from services.ledger.transactions import repository
from services.ledger.transactions.filters import TransactionFilter, compile_filter
from shared.db import UnitOfWork
from shared.errors import BadUserInput, NotFound
from shared.money import Money
from shared.pagination import Keyset, Page
from shared.validation import clean_text

TransactionQuery = repository.TransactionQuery

__all__ = ["TransactionFilter", "TransactionQuery"]

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
    # The user's choice of payee; derived from the description when None.
    payee_id: uuid.UUID | None = None
    tag_ids: Sequence[uuid.UUID] = ()


@dataclass(frozen=True)
class TransactionChanges:
    date: dt.date | Keep | None = KEEP
    amount: Decimal | Keep | None = KEEP
    description: str | Keep | None = KEEP
    category_id: uuid.UUID | Keep | None = KEEP
    notes: str | Keep | None = KEEP
    # None: no payee (the user's choice, which descriptions no longer override).
    payee_id: uuid.UUID | Keep | None = KEEP
    # The transaction's tags from now on (an empty list takes them all off).
    tag_ids: Sequence[uuid.UUID] | Keep | None = KEEP
    reviewed: bool | Keep | None = KEEP


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
    tag_ids = await tag_service.require_tags(session, user_id, new.tag_ids, "input.tagIds")
    payee: tuple[uuid.UUID | None, str | None] = (new.payee_id, PAYEE_SOURCE_USER)
    if new.payee_id is not None:
        await payee_service.require_payee(session, user_id, new.payee_id)
    else:
        payee = await _derived_payee(session, user_id, description)
    payee_id, payee_source = payee
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
        payee_id=payee_id,
        payee_source=payee_source,
        # Recorded by hand: the user has seen it.
        reviewed=True,
        # Tags the user gave are their choice: rules add none to them.
        tags_source=TAGS_SOURCE_USER if tag_ids else None,
    )
    await currency_service.convert_transactions(session, user_id, [transaction])
    rows.add(session, transaction)
    await session.flush()
    if tag_ids:
        await tag_service.set_tags(session, user_id, transaction.id, tag_ids)
    transactions_added(work, user_id, [transaction.id])
    announce_transactions_changed(work, user_id, [transaction.id], [day])
    return transaction


async def _derived_payee(
    session: AsyncSession, user_id: uuid.UUID, description: str
) -> tuple[uuid.UUID | None, str | None]:
    found = await payee_service.payee_ids_for_texts(session, user_id, [description])
    payee_id = found.get(description)
    return payee_id, PAYEE_SOURCE_DERIVED if payee_id is not None else None


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
    bank (the next sync would silently undo an edit); the rest is the user's. A split
    transaction's amount and category are its parts': split it anew, or unsplit it first."""
    session = work.session
    transaction = await require_transaction(session, user_id, transaction_id)
    await transactions_changing(work, user_id, [transaction.id])
    from_bank = transaction.item_ref is not None
    before = _counted(transaction)
    payee_before = transaction.payee_id
    split = not isinstance(changes.amount, Keep) or not isinstance(changes.category_id, Keep)
    split = split and await repository.has_parts(session, transaction.id)

    if not isinstance(changes.date, Keep):
        day = _required(changes.date, "input.date", from_bank)
        transaction.date = check_date(day, "input.date")
    if not isinstance(changes.amount, Keep):
        amount = _required(changes.amount, "input.amount", from_bank)
        minor = Money.parse(amount, transaction.currency, "input.amount").minor
        if split and minor != transaction.amount_minor:
            raise BadUserInput("input.amount", "is the sum of the parts: split it anew instead")
        transaction.amount_minor = minor
    if not isinstance(changes.description, Keep):
        text = _required(changes.description, "input.description", from_bank)
        transaction.description = clean_text(text, "input.description", max_length=MAX_DESCRIPTION)
        if transaction.payee_source != PAYEE_SOURCE_USER:
            derived = await _derived_payee(session, user_id, transaction.description)
            transaction.payee_id, transaction.payee_source = derived
    if not isinstance(changes.category_id, Keep):
        if split:
            raise BadUserInput("input.categoryId", "is split: categorize its parts instead")
        if changes.category_id is not None:
            await category_service.require_category(session, user_id, changes.category_id)
        # Even "no category" is the user's choice: the bank's hint will not override it.
        transaction.category_id = changes.category_id
        transaction.category_source = CATEGORY_SOURCE_USER
    if not isinstance(changes.notes, Keep):
        transaction.notes = _optional_notes(changes.notes, "input.notes")
    if not isinstance(changes.payee_id, Keep):
        if changes.payee_id is not None:
            await payee_service.require_payee(session, user_id, changes.payee_id)
        transaction.payee_id = changes.payee_id
        transaction.payee_source = PAYEE_SOURCE_USER
    if not isinstance(changes.reviewed, Keep):
        if changes.reviewed is None:
            raise BadUserInput("input.reviewed", "must not be null")
        transaction.reviewed = changes.reviewed
    tag_ids: list[uuid.UUID] | None = None
    if not isinstance(changes.tag_ids, Keep):
        if changes.tag_ids is None:
            raise BadUserInput("input.tagIds", "must not be null (an empty list removes them)")
        tag_ids = await tag_service.require_tags(session, user_id, changes.tag_ids, "input.tagIds")
        # The user's set of tags (even none): rules add no more to it.
        transaction.tags_source = TAGS_SOURCE_USER

    if (transaction.date, transaction.amount_minor) != (before[0], before[1]):
        # A new date or amount is a new figure, at the rate in force on its date.
        await currency_service.convert_transactions(session, user_id, [transaction])
    if session.is_modified(transaction):
        await session.flush()
    if tag_ids is not None:
        await tag_service.set_tags(session, user_id, transaction.id, tag_ids)
    if _counted(transaction) != before:
        announce_transactions_changed(
            work, user_id, [transaction.id], {before[0], transaction.date}
        )
    elif transaction.payee_id != payee_before:
        # Only reports group by payee: the ledger's own totals hear of it, no one else.
        transactions_regrouped(work, user_id, [transaction.date], transaction_ids=[transaction.id])
    return transaction


def _counted(transaction: Transaction) -> tuple[dt.date, int, uuid.UUID | None, str, str | None]:
    """What the notifier's alerts read of a transaction: a change in it is announced."""
    return (
        transaction.date,
        transaction.amount_minor,
        transaction.category_id,
        transaction.description,
        transaction.notes,
    )


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
    here would be undone (or duplicated) by the next sync. The other half of a transfer stays,
    as an ordinary transaction."""
    session = work.session
    transaction = await require_transaction(session, user_id, transaction_id)
    if transaction.item_ref is not None:
        raise BadUserInput("id", "is a bank transaction; the bank removes those")
    counterpart = transaction.transfer_counterpart_id
    await transactions_changing(
        work, user_id, [transaction.id, *([counterpart] if counterpart else [])]
    )
    counterparts = await unlink_transfers(session, user_id, [transaction])
    await rows.delete(session, [transaction])
    announce_transactions_changed(
        work,
        user_id,
        [transaction.id, *(row.id for row in counterparts)],
        [transaction.date, *(row.date for row in counterparts)],
    )


async def unlink_transfers(
    session: AsyncSession, user_id: uuid.UUID, transactions: Sequence[Transaction]
) -> list[Transaction]:
    """Undo the transfer links of these transactions (both halves); the other halves, which
    count as ordinary money in or out from now on."""
    linked = [row for row in transactions if row.transfer_counterpart_id is not None]
    if not linked:
        return []
    own = {row.id for row in transactions}
    wanted = [row.transfer_counterpart_id for row in linked if row.transfer_counterpart_id]
    counterparts = await repository.transactions_by_ids(session, user_id, wanted)
    for row in (*linked, *counterparts):
        row.transfer_counterpart_id = None
    await session.flush()
    return [row for row in counterparts if row.id not in own]


@dataclass(frozen=True)
class TransactionPage:
    rows: list[Transaction]
    has_next_page: bool
    query: TransactionQuery
    # The rows' accounts and categories, when the page was asked to bring them.
    accounts: dict[uuid.UUID, Account] = field(default_factory=dict)
    categories: dict[uuid.UUID, Category] = field(default_factory=dict)

    @property
    def end_cursor(self) -> str | None:
        return transaction_cursor(self.rows[-1]) if self.rows else None


def transaction_cursor(transaction: Transaction) -> str:
    return Keyset(transaction.date, transaction.id).cursor()


async def transaction_page(
    session: AsyncSession,
    user_id: uuid.UUID,
    given: TransactionFilter,
    *,
    first: int,
    after: str | None,
    with_accounts: bool = False,
    with_categories: bool = False,
) -> TransactionPage:
    """A page of the user's transactions, newest first, by keyset (stable under inserts);
    with their accounts and categories, read in the same statement, when asked."""
    keyset = Keyset.parse(after, dt.date.fromisoformat) if after is not None else None
    query = await compile_filter(session, user_id, given)
    fetched = await repository.transaction_page(
        session,
        query,
        after=keyset,
        limit=first + 1,
        with_accounts=with_accounts,
        with_categories=with_categories,
    )
    page = Page.of(fetched.transactions, first)
    return TransactionPage(
        rows=page.rows,
        has_next_page=page.has_next_page,
        query=query,
        accounts=fetched.accounts,
        categories=fetched.categories,
    )


async def count_transactions(session: AsyncSession, query: TransactionQuery) -> int:
    return await repository.count_transactions(session, query)


async def transactions_by_ids(
    session: AsyncSession, user_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[Transaction]:
    return await repository.transactions_by_ids(session, user_id, list(dict.fromkeys(ids)))
