"""A user's whole ledger: the sections of their export, and the deletion of everything.

The export names every object by the contract's global id (a client can fetch it again with
`node(id:)` while the account lives), money as exact strings with their currency, dates in
ISO 8601. Each section is read in keyset pages, each page a short read of its own.

What is not exported: the memory of the user's edits on a pending bank transaction that the
bank removed (`ledger_pending_tombstones`), kept a few days to put them back on the posted
transaction; the edits themselves are on that transaction once it arrives.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncGenerator, Callable, Sequence

from services.ledger.models import (
    Account,
    Budget,
    Category,
    ExchangeRate,
    Goal,
    GoalContribution,
    Transaction,
)
from services.ledger.user_data import repository
from shared.db import UnitOfWork, read_session
from shared.export import JSONObject, Section, moment, money, one, paged
from shared.ids import encode_id
from shared.money import Money
from shared.pagination import Keyset


def export_sections(user_id: uuid.UUID) -> list[Section]:
    """The ledger's part of the user's export, read when the document is written."""
    return [
        Section("ledgerSettings", lambda: one(lambda: _settings(user_id)), many=False),
        Section("categories", lambda: _by_id(Category, user_id, _category)),
        Section("accounts", lambda: _by_id(Account, user_id, _account)),
        Section("transactions", lambda: _transactions(user_id)),
        Section("budgets", lambda: _by_id(Budget, user_id, _budget)),
        Section("goals", lambda: _by_id(Goal, user_id, _goal)),
        Section("goalContributions", lambda: _contributions(user_id)),
        Section("exchangeRates", lambda: _rates(user_id)),
    ]


async def delete_user_data(work: UnitOfWork, user_id: uuid.UUID) -> dict[str, int]:
    """Delete every row of the user in the ledger, in `work`; how many went, by table.

    Nothing is announced: whoever would listen is deleting the user's data too."""
    return await repository.delete_everything(work.session, user_id)


async def account_ids_of_items(
    user_id: uuid.UUID, item_refs: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """The ids of the user's accounts of each linked item."""
    async with read_session() as session:
        pairs = await repository.account_ids_of_items(session, user_id, item_refs)
    found: dict[uuid.UUID, list[uuid.UUID]] = {item_ref: [] for item_ref in item_refs}
    for item_ref, account_id in pairs:
        found[item_ref].append(account_id)
    return found


async def _settings(user_id: uuid.UUID) -> JSONObject | None:
    async with read_session() as session:
        row = await repository.settings(session, user_id)
    if row is None:
        return None
    return {
        "baseCurrency": row.base_currency,
        "createdAt": moment(row.created_at),
        "updatedAt": moment(row.updated_at),
    }


def _by_id(
    model: type[repository.Owned],
    user_id: uuid.UUID,
    render: Callable[[repository.Owned], JSONObject],
) -> AsyncGenerator[JSONObject, None]:
    async def fetch(after: uuid.UUID | None, limit: int) -> list[repository.Owned]:
        async with read_session() as session:
            return await repository.rows_after(session, model, user_id, after, limit)

    return paged(fetch, lambda row: row.id, render)


def _transactions(user_id: uuid.UUID) -> AsyncGenerator[JSONObject, None]:
    async def fetch(after: Keyset[dt.date] | None, limit: int) -> list[Transaction]:
        async with read_session() as session:
            return await repository.transactions_after(session, user_id, after, limit)

    return paged(fetch, lambda row: Keyset(row.date, row.id), _transaction)


def _rates(user_id: uuid.UUID) -> AsyncGenerator[JSONObject, None]:
    async def fetch(after: Keyset[dt.date] | None, limit: int) -> list[ExchangeRate]:
        async with read_session() as session:
            return await repository.rates_after(session, user_id, after, limit)

    return paged(fetch, lambda row: Keyset(row.date, row.id), _rate)


def _contributions(user_id: uuid.UUID) -> AsyncGenerator[JSONObject, None]:
    async def fetch(after: uuid.UUID | None, limit: int) -> list[tuple[GoalContribution, str]]:
        async with read_session() as session:
            return await repository.contributions_after(session, user_id, after, limit)

    return paged(fetch, lambda row: row[0].id, _contribution)


def _category(row: Category) -> JSONObject:
    return {
        "id": encode_id("Category", row.id),
        "name": row.name,
        "group": row.group,
        "createdAt": moment(row.created_at),
    }


def _account(row: Account) -> JSONObject:
    return {
        "id": encode_id("Account", row.id),
        "name": row.name,
        "type": row.type.upper(),
        "currency": row.currency,
        "openingBalance": money(Money(row.opening_balance_minor, row.currency)),
        "linked": row.item_ref is not None,
        "mask": row.mask,
        "bankBalance": (
            money(Money(row.bank_balance_minor, row.currency))
            if row.bank_balance_minor is not None
            else None
        ),
        "createdAt": moment(row.created_at),
    }


def _transaction(row: Transaction) -> JSONObject:
    converted = None
    if row.converted_minor is not None and row.converted_currency is not None:
        converted = {
            "amount": money(Money(row.converted_minor, row.converted_currency)),
            "rate": None if row.conversion_rate is None else format(row.conversion_rate, "f"),
            "rateDate": moment(row.conversion_rate_date),
        }
    return {
        "id": encode_id("Transaction", row.id),
        "accountId": encode_id("Account", row.account_id),
        "date": moment(row.date),
        "amount": money(Money(row.amount_minor, row.currency)),
        "description": row.description,
        "pending": row.pending,
        "notes": row.notes,
        "categoryId": encode_id("Category", row.category_id) if row.category_id else None,
        "converted": converted,
        "fromBank": row.provider_transaction_id is not None,
        "createdAt": moment(row.created_at),
        "updatedAt": moment(row.updated_at),
    }


def _budget(row: Budget) -> JSONObject:
    return {
        "id": encode_id("Budget", row.id),
        "categoryId": encode_id("Category", row.category_id),
        "month": row.month,
        "amount": money(Money(row.amount_minor, row.currency)),
        "createdAt": moment(row.created_at),
        "updatedAt": moment(row.updated_at),
    }


def _goal(row: Goal) -> JSONObject:
    return {
        "id": encode_id("Goal", row.id),
        "name": row.name,
        "targetAmount": money(Money(row.target_minor, row.currency)),
        "targetDate": moment(row.target_date),
        "createdAt": moment(row.created_at),
    }


def _contribution(row: tuple[GoalContribution, str]) -> JSONObject:
    contribution, currency = row
    return {
        "id": encode_id("GoalContribution", contribution.id),
        "goalId": encode_id("Goal", contribution.goal_id),
        "amount": money(Money(contribution.amount_minor, currency)),
        "date": moment(contribution.contributed_on),
        "createdAt": moment(contribution.created_at),
    }


def _rate(row: ExchangeRate) -> JSONObject:
    return {
        "id": encode_id("ExchangeRate", row.id),
        "currency": row.currency,
        "quoteCurrency": row.quote_currency,
        "date": moment(row.date),
        "rate": format(row.rate, "f"),
        "createdAt": moment(row.created_at),
        "updatedAt": moment(row.updated_at),
    }
