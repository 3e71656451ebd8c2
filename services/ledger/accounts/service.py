"""Accounts: creating, editing, closing and deleting manual ones, requiring the user's by id,
and what a balance (and a cleared balance) is.

A linked account's name, type and balance belong to the bank: every sync writes them again,
so an edit here would silently vanish; its institution label is the user's.
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
from services.ledger.accounts import repository
from services.ledger.events import announce_transactions_changed
from services.ledger.models import ACCOUNT_TYPES, MAX_NAME, Account
from services.ledger.periods import check_date
from shared.clock import today, utcnow
from shared.db import UnitOfWork
from shared.errors import BadUserInput, NotFound
from shared.money import Money, parse_currency
from shared.sql import chunked
from shared.validation import clean_text

AccountSums = repository.AccountSums
ReconciliationHistory = repository.ReconciliationHistory

V = TypeVar("V")


def balance_needs_transactions(account: Account) -> bool:
    return account.item_ref is None or account.bank_balance_minor is None


def balance_of(account: Account, transactions_minor: int) -> Money:
    """Linked accounts show what the bank reports when it reports it; everything else is the
    opening balance plus every transaction (pending included)."""
    if account.item_ref is not None and account.bank_balance_minor is not None:
        return Money(account.bank_balance_minor, account.currency)
    return Money(account.opening_balance_minor + transactions_minor, account.currency)


async def create_account(
    work: UnitOfWork,
    user_id: uuid.UUID,
    *,
    name: str,
    type: str,
    currency: str,
    opening_balance: Decimal | None,
    institution_label: str | None = None,
) -> Account:
    clean_name = clean_text(name, "input.name", max_length=MAX_NAME)
    label = _institution_label(institution_label, "input.institutionLabel")
    account_type = _account_type(type, "input.type")
    code = parse_currency(currency, "input.currency")
    opening = (
        Money.parse(opening_balance, code, "input.openingBalance")
        if opening_balance is not None
        else Money.zero(code)
    )
    account = Account(
        user_id=user_id,
        name=clean_name,
        type=account_type,
        currency=code,
        opening_balance_minor=opening.minor,
        institution_label=label,
    )
    rows.add(work.session, account)
    await work.session.flush()
    return account


def _account_type(value: str, field: str) -> str:
    account_type = value.strip().lower()
    if account_type not in ACCOUNT_TYPES:
        raise BadUserInput(field, f"must be one of {', '.join(ACCOUNT_TYPES)}")
    return account_type


def _institution_label(value: str | None, field: str) -> str | None:
    if value is None:
        return None
    return clean_text(value, field, max_length=MAX_NAME, required=False) or None


async def list_accounts(
    session: AsyncSession, user_id: uuid.UUID, *, open_only: bool = False
) -> list[Account]:
    """The user's accounts, oldest first; `open_only` leaves out the closed ones."""
    return await repository.accounts_for_user(session, user_id, open_only=open_only)


async def accounts_with_stored_sums(
    session: AsyncSession, user_id: uuid.UUID, *, open_only: bool = False
) -> tuple[list[Account], dict[uuid.UUID, int] | None]:
    """The user's accounts as `list_accounts` lists them, with each one's transactions summed
    (minor units of its currency; absent: none) from the stored report totals in the same
    read; None for the sums while the user's totals are not built."""
    return await repository.accounts_with_stored_sums(session, user_id, open_only=open_only)


async def accounts_by_ids(
    session: AsyncSession, user_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[Account]:
    """The user's accounts among `ids`; others' ids are silently absent."""
    return await repository.accounts_by_ids(session, user_id, ids)


async def accounts_of_items(
    session: AsyncSession, user_id: uuid.UUID, item_refs: Sequence[uuid.UUID], *, lock: bool = False
) -> list[Account]:
    """The user's accounts of these linked items (keyed by the sync service's item ids);
    `lock` holds them until commit, so concurrent syncs of an item take turns."""
    return await repository.accounts_for_items(session, user_id, item_refs, lock=lock)


async def require_account(
    session: AsyncSession, user_id: uuid.UUID, account_id: uuid.UUID
) -> Account:
    account = await repository.account_for_user(session, user_id, account_id)
    if account is None:
        raise NotFound("Account")
    return account


async def transaction_sums(
    session: AsyncSession, user_id: uuid.UUID, account_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """Each account's transactions summed, in minor units of its currency (absent: none)."""
    return await repository.transaction_sums_by_account(session, user_id, account_ids)


async def require_open_account(
    session: AsyncSession, user_id: uuid.UUID, account_id: uuid.UUID, field: str
) -> Account:
    """The user's account, to record a new transaction in: a closed one is refused (its
    history is kept as it was when it closed)."""
    account = await require_account(session, user_id, account_id)
    if account.closed_at is not None:
        raise BadUserInput(field, "is a closed account: reopen it to record transactions in it")
    return account


async def sums_with_cleared(
    session: AsyncSession, user_id: uuid.UUID, account_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, AccountSums]:
    """Each account's transactions summed, all and cleared only (absent: none)."""
    return await repository.sums_with_cleared_by_account(session, user_id, account_ids)


def cleared_balance_of(account: Account, sums: AccountSums) -> Money:
    """The balance less every transaction not cleared yet (pending ones never are): for a
    manual account, the opening balance plus the cleared transactions."""
    return balance_of(account, sums.total) - Money(sums.total - sums.cleared, account.currency)


# --- editing ---------------------------------------------------------------------------------


class Keep(enum.Enum):
    """A field of an update the caller left out (as opposed to setting it to null)."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True)
class AccountChanges:
    name: str | Keep | None = KEEP
    type: str | Keep | None = KEEP
    institution_label: str | Keep | None = KEEP
    opening_balance: Decimal | Keep | None = KEEP


async def update_account(
    work: UnitOfWork, user_id: uuid.UUID, account_id: uuid.UUID, changes: AccountChanges
) -> Account:
    """Edit an account; omitted fields stay. A linked account's name, type and opening
    balance are the bank's (see the module's docstring) and are refused."""
    account = await require_account(work.session, user_id, account_id)
    linked = account.item_ref is not None
    if not isinstance(changes.name, Keep):
        name = _required(changes.name, "input.name", linked)
        account.name = clean_text(name, "input.name", max_length=MAX_NAME)
    if not isinstance(changes.type, Keep):
        account.type = _account_type(_required(changes.type, "input.type", linked), "input.type")
    if not isinstance(changes.opening_balance, Keep):
        opening = _required(changes.opening_balance, "input.openingBalance", linked)
        account.opening_balance_minor = Money.parse(
            opening, account.currency, "input.openingBalance"
        ).minor
    if not isinstance(changes.institution_label, Keep):
        account.institution_label = _institution_label(
            changes.institution_label, "input.institutionLabel"
        )
    await work.session.flush()
    return account


def _required(value: V | None, field: str, linked: bool) -> V:
    if linked:
        raise BadUserInput(
            field, "comes from the linked bank (each sync writes it again) and cannot be edited"
        )
    if value is None:
        raise BadUserInput(field, "must not be null")
    return value


# --- closing, reopening, deleting ------------------------------------------------------------


async def close_account(
    work: UnitOfWork,
    user_id: uuid.UUID,
    account_id: uuid.UUID,
    *,
    closed_on: dt.date | None = None,
    as_of: dt.date | None = None,
) -> Account:
    """Close an account from a day (the user's today unless told): it keeps its history,
    leaves net worth from that day and takes no new manual transactions. Closing a closed
    account changes nothing (it keeps the day it closed)."""
    session = work.session
    account = await require_account(session, user_id, account_id)
    if account.closed_at is not None:
        return account
    day = as_of or today()
    when = check_date(closed_on, "input.date") if closed_on is not None else day
    if when > day:
        raise BadUserInput("input.date", "must not be in the future")
    last = await repository.last_transaction_date(session, user_id, account.id)
    if last is not None and when < last:
        # Its later transactions would count for a closed account, or vanish from net worth.
        raise BadUserInput("input.date", f"must not be before its last transaction ({last})")
    account.closed_at = utcnow()
    account.closed_on = when
    await session.flush()
    return account


async def reopen_account(work: UnitOfWork, user_id: uuid.UUID, account_id: uuid.UUID) -> Account:
    """Open a closed account again (an open one stays as it is): it counts in net worth for
    every day again, and takes manual transactions."""
    account = await require_account(work.session, user_id, account_id)
    account.closed_at = None
    account.closed_on = None
    await work.session.flush()
    return account


# Transaction ids per announcement of a deleted account's history: a bounded message.
ANNOUNCEMENT_BATCH = 1_000


async def delete_account(work: UnitOfWork, user_id: uuid.UUID, account_id: uuid.UUID) -> int:
    """Delete a manual account with all its transactions and reconciliations, and announce
    the removed transactions (budgets and alerts are re-evaluated); how many went.

    A linked account belongs to its bank link. An account that funds a goal is refused until
    the goal's funding changes, so that no goal silently loses what it counts.
    """
    account = await require_account(work.session, user_id, account_id)
    if account.item_ref is not None:
        raise BadUserInput("input.id", "is a linked bank account: it goes with its bank link")
    return await delete_with_history(work, user_id, [account], "input.id")


async def delete_with_history(
    work: UnitOfWork, user_id: uuid.UUID, accounts: Sequence[Account], field: str
) -> int:
    """Delete the user's accounts with their transactions, reconciliations and imports, and
    announce the removed transactions; how many went. A transfer to another account of the
    user loses its link (that half stays, as ordinary money in or out, and is announced too).
    Refused (BadUserInput naming `field`) while a goal's funding names one of the accounts."""
    session = work.session
    ids = [account.id for account in accounts]
    await refuse_goal_funding(session, user_id, ids, field)
    changed = await repository.unlink_transfers_leaving(session, user_id, ids)
    removed = 0
    for account in accounts:
        gone = await repository.transaction_ids_and_dates(session, user_id, account.id)
        await repository.delete_account_with_history(session, account)
        changed += gone
        removed += len(gone)
    for batch in chunked(changed, ANNOUNCEMENT_BATCH):
        announce_transactions_changed(
            work, user_id, [row_id for row_id, _ in batch], [day for _, day in batch]
        )
    return removed


async def refuse_goal_funding(
    session: AsyncSession, user_id: uuid.UUID, account_ids: Sequence[uuid.UUID], field: str
) -> None:
    """BadUserInput(field) while a goal's funding names one of the accounts: deleting it would
    silently take from the goal what it counts."""
    goals = await repository.goals_funded_by(session, user_id, account_ids)
    if goals:
        named = "; ".join(f"'{account}' funds the goal '{goal}'" for goal, account in goals)
        raise BadUserInput(field, f"{named}: change the goal's funding first")


async def keep_as_manual(
    work: UnitOfWork, user_id: uuid.UUID, accounts: Sequence[Account], item_ref: uuid.UUID
) -> None:
    """The linked item's accounts become manual ones, with their history: the balance the bank
    last reported stays the balance (the opening balance becomes what it implies), and the
    item's transactions become the user's own, as if recorded by hand. Nothing any report
    counts changes, so nothing is announced."""
    session = work.session
    sums = await repository.transaction_sums_by_account(
        session, user_id, [account.id for account in accounts]
    )
    for account in accounts:
        if account.bank_balance_minor is not None:
            account.opening_balance_minor = account.bank_balance_minor - sums.get(account.id, 0)
        account.bank_balance_minor = None
        account.item_ref = None
        account.provider_account_id = None
    await session.flush()
    await repository.forget_bank_origin(session, user_id, item_ref)


async def daily_sums_of(
    session: AsyncSession, user_id: uuid.UUID, account_ids: Sequence[uuid.UUID], until: dt.date
) -> list[tuple[uuid.UUID, dt.date, int]]:
    """(account, day, net) of these accounts' transactions up to `until`, per day."""
    if not account_ids:
        return []
    return await repository.daily_sums_by_account(session, user_id, account_ids, until)
