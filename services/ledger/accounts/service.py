"""Accounts: creating manual ones, requiring the user's by id, and what a balance is."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger import rows
from services.ledger.accounts import repository
from services.ledger.models import ACCOUNT_TYPES, MAX_NAME, Account
from shared.db import UnitOfWork
from shared.errors import BadUserInput, NotFound
from shared.money import Money, parse_currency
from shared.validation import clean_text


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
) -> Account:
    clean_name = clean_text(name, "input.name", max_length=MAX_NAME)
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
    )
    rows.add(work.session, account)
    await work.session.flush()
    return account


def _account_type(value: str, field: str) -> str:
    account_type = value.strip().lower()
    if account_type not in ACCOUNT_TYPES:
        raise BadUserInput(field, f"must be one of {', '.join(ACCOUNT_TYPES)}")
    return account_type


async def list_accounts(session: AsyncSession, user_id: uuid.UUID) -> list[Account]:
    return await repository.accounts_for_user(session, user_id)


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
