"""A linked item's accounts as the bank reports them, created or refreshed idempotently."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from services.ledger import rows
from services.ledger.accounts import service as account_service
from services.ledger.bank_ingest.bank_data import (
    BankAccount,
    BankDataError,
    bank_text,
    check_currency,
    check_provider_id,
    exact_money,
)
from services.ledger.models import ACCOUNT_TYPES, MAX_NAME, Account
from shared.db import UnitOfWork


async def upsert_bank_accounts(
    work: UnitOfWork, user_id: uuid.UUID, item_ref: uuid.UUID, accounts: Sequence[BankAccount]
) -> dict[str, uuid.UUID]:
    """Create or refresh the item's accounts, checking everything before the first write.

    An account's currency never changes (its transactions are in it); a balance the bank
    stops reporting keeps its last value.
    """
    incoming = {
        check_provider_id(a.provider_account_id, "provider_account_id"): a for a in accounts
    }
    balances: dict[str, int | None] = {}
    for provider_id, reported in incoming.items():
        if reported.type not in ACCOUNT_TYPES:
            raise BankDataError(f"account type must be one of {ACCOUNT_TYPES}: {reported.type!r}")
        currency = check_currency(reported.currency)
        balance = reported.current_balance
        balances[provider_id] = (
            exact_money(balance, currency).minor if balance is not None else None
        )
    existing = {
        row.provider_account_id: row
        for row in await account_service.accounts_of_items(
            work.session, user_id, [item_ref], lock=True
        )
    }
    for provider_id, reported in incoming.items():
        row = existing.get(provider_id)
        if row is not None and row.currency != reported.currency:
            raise BankDataError(
                f"account {provider_id!r} was in {row.currency}, now reported in "
                f"{reported.currency}"
            )

    for provider_id, reported in incoming.items():
        row = existing.get(provider_id)
        if row is None:
            row = Account(
                user_id=user_id,
                item_ref=item_ref,
                provider_account_id=provider_id,
                currency=reported.currency,
                opening_balance_minor=0,
            )
            rows.add(work.session, row)
            existing[provider_id] = row
        row.name = bank_text(reported.name, MAX_NAME) or "Bank account"
        row.type = reported.type
        row.mask = bank_text(reported.mask, 8) or None
        if balances[provider_id] is not None:
            row.bank_balance_minor = balances[provider_id]
    await work.session.flush()
    return {provider_id: row.id for provider_id, row in existing.items() if provider_id}
