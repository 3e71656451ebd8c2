"""Users, accounts, categories, budgets and transactions for any area's tests, made the way
Tally makes them: provisioned as the gateway does at sign-up, then through the GraphQL
contract as a client would."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from services.ledger import api as ledger_api
from services.notifier import api as notifier_api
from shared.db import unit_of_work
from tests.support.graphql import data

ACCOUNT_FIELDS = "id name type currency mask linked balance { amount currency }"
TRANSACTION_FIELDS = (
    "id date amount { amount currency } description pending notes "
    "account { id name } category { id name group }"
)


@dataclass(frozen=True)
class Person:
    id: uuid.UUID
    email: str


async def sign_up(
    *, ledger: bool = True, time_zone: str = "UTC", base_currency: str | None = None
) -> Person:
    """A new user, provisioned as the gateway does at sign-up: ledger and notifier together.

    `ledger=False` provisions the notifier alone, for tests that need no money.
    """
    user_id = uuid.uuid4()
    email = f"user-{user_id.hex[:12]}@example.com"
    async with unit_of_work() as work:
        if ledger:
            await ledger_api.provision_user(work, user_id, base_currency)
        await notifier_api.provision_user(work, user_id, email, time_zone)
    return Person(user_id, email)


async def new_user(base_currency: str | None = None) -> uuid.UUID:
    """A user of the ledger alone: a fresh id with the default categories and a base currency
    (USD unless told)."""
    user_id = uuid.uuid4()
    async with unit_of_work() as work:
        await ledger_api.provision_user(work, user_id, base_currency)
    return user_id


async def create_account(
    user_id: uuid.UUID,
    name: str = "Everyday",
    type: str = "CHECKING",
    currency: str = "USD",
    opening_balance: str | None = None,
) -> dict[str, Any]:
    result = await data(
        f"""mutation($input: CreateAccountInput!) {{
              createAccount(input: $input) {{ account {{ {ACCOUNT_FIELDS} }} }} }}""",
        {
            "input": {
                "name": name,
                "type": type,
                "currency": currency,
                "openingBalance": opening_balance,
            }
        },
        user_id=user_id,
    )
    account: dict[str, Any] = result["createAccount"]["account"]
    return account


async def category_ids(user_id: uuid.UUID) -> dict[str, str]:
    """The user's categories, name -> id."""
    result = await data("{ categories { id name group } }", user_id=user_id)
    return {category["name"]: category["id"] for category in result["categories"]}


async def add_transaction(
    user_id: uuid.UUID,
    account_id: str,
    amount: str,
    date: dt.date | str = "2026-03-10",
    description: str = "Corner shop",
    category_id: str | None = None,
    notes: str | None = None,
) -> dict[str, Any]:
    result = await data(
        f"""mutation($input: CreateTransactionInput!) {{
              createTransaction(input: $input) {{ transaction {{ {TRANSACTION_FIELDS} }} }} }}""",
        {
            "input": {
                "accountId": account_id,
                "date": str(date),
                "amount": amount,
                "description": description,
                "categoryId": category_id,
                "notes": notes,
            }
        },
        user_id=user_id,
    )
    transaction: dict[str, Any] = result["createTransaction"]["transaction"]
    return transaction


async def set_budget(user_id: uuid.UUID, category_id: str, month: str, amount: str) -> None:
    await data(
        """mutation($input: SetBudgetInput!) { setBudget(input: $input) { budget { id } } }""",
        {"input": {"categoryId": category_id, "month": month, "amount": amount}},
        user_id=user_id,
    )
