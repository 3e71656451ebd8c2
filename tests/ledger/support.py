"""Story helpers for the ledger's tests: users, accounts and transactions made the way a
client makes them (the shared factories of tests/support, through GraphQL), or a bank
(through the public api)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from services.ledger import api
from shared.db import unit_of_work
from tests.support.factories import (
    ACCOUNT_FIELDS,
    TRANSACTION_FIELDS,
    add_transaction,
    category_ids,
    create_account,
    new_user,
)
from tests.support.graphql import data, execute

__all__ = [
    "ACCOUNT_FIELDS", "TRANSACTION_FIELDS", "add_transaction", "category_ids", "create_account",
    "new_user",
]  # fmt: skip


async def transaction_count(user_id: uuid.UUID) -> int:
    result = await data("{ transactions(first: 1) { totalCount } }", user_id=user_id)
    return int(result["transactions"]["totalCount"])


async def accounts(user_id: uuid.UUID) -> list[dict[str, Any]]:
    result = await data(f"{{ accounts {{ {ACCOUNT_FIELDS} }} }}", user_id=user_id)
    listed: list[dict[str, Any]] = result["accounts"]
    return listed


async def rejected_field(
    query: str, variables: dict[str, Any] | None, *, user_id: uuid.UUID
) -> str:
    """Run an operation that must fail with BAD_USER_INPUT; the field it names."""
    result = await execute(query, variables, user_id=user_id)
    assert result.errors, result.data
    assert len(result.errors) == 1, result.errors
    extensions = result.errors[0].extensions or {}
    assert extensions.get("code") == "BAD_USER_INPUT", result.errors
    return str(extensions.get("field"))


# --- the bank side ------------------------------------------------------------------------


def bank_account(
    provider_id: str = "acc-1",
    *,
    currency: str = "USD",
    balance: str | None = None,
    type: str = "checking",
    name: str = "Plaid Checking",
) -> api.BankAccount:
    return api.BankAccount(
        provider_account_id=provider_id,
        name=name,
        mask="0000",
        type=type,
        currency=currency,
        current_balance=Decimal(balance) if balance is not None else None,
    )


def bank_transaction(
    provider_id: str,
    amount: str,
    *,
    date: dt.date = dt.date(2026, 3, 5),
    account: str = "acc-1",
    description: str = "SparkFun",
    pending: bool = False,
    pending_of: str | None = None,
    hint: str | None = "GENERAL_MERCHANDISE",
    currency: str = "USD",
    merchant: str | None = None,
) -> api.BankTransaction:
    return api.BankTransaction(
        provider_transaction_id=provider_id,
        provider_account_id=account,
        date=date,
        amount=Decimal(amount),
        currency=currency,
        description=description,
        merchant_name=merchant,
        pending=pending,
        pending_transaction_id=pending_of,
        category_hint=hint,
    )


async def link_item(user_id: uuid.UUID, *accounts: api.BankAccount) -> uuid.UUID:
    item_ref = uuid.uuid4()
    async with unit_of_work() as work:
        await api.upsert_bank_accounts(work, user_id, item_ref, accounts or (bank_account(),))
    return item_ref


async def ingest(
    user_id: uuid.UUID,
    item_ref: uuid.UUID,
    added: tuple[api.BankTransaction, ...] = (),
    modified: tuple[api.BankTransaction, ...] = (),
    removed: tuple[str, ...] = (),
) -> api.IngestResult:
    batch = api.BankTransactionBatch(
        user_id=user_id, item_ref=item_ref, added=added, modified=modified, removed=removed
    )
    async with unit_of_work() as work:
        return await api.ingest_bank_transactions(work, batch)


async def all_transactions(user_id: uuid.UUID) -> list[dict[str, Any]]:
    result = await data(
        f"{{ transactions(first: 100) {{ edges {{ node {{ {TRANSACTION_FIELDS} }} }} }} }}",
        user_id=user_id,
    )
    return [edge["node"] for edge in result["transactions"]["edges"]]


async def views(user_id: uuid.UUID, ids: list[uuid.UUID]) -> list[api.TransactionView]:
    async with unit_of_work() as work:
        return await api.transactions_by_ids(work, user_id, ids)
