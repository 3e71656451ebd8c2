"""The bank side of the sync tests: Plaid's sandbox (the emulator mounted in the live server),
driven with plaid-python exactly as a developer would drive Plaid's real sandbox, and the
Tally side read back through GraphQL and the sync service's own tables.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from plaid.api.plaid_api import PlaidApi
from plaid.model.custom_sandbox_transaction import CustomSandboxTransaction
from plaid.model.item_public_token_exchange_request import ItemPublicTokenExchangeRequest
from plaid.model.products import Products
from plaid.model.sandbox_item_fire_webhook_request import SandboxItemFireWebhookRequest
from plaid.model.sandbox_item_reset_login_request import SandboxItemResetLoginRequest
from plaid.model.sandbox_public_token_create_request import SandboxPublicTokenCreateRequest
from plaid.model.sandbox_public_token_create_request_options import (
    SandboxPublicTokenCreateRequestOptions,
)
from plaid.model.sandbox_transactions_create_request import SandboxTransactionsCreateRequest
from plaid.model.transactions_refresh_request import TransactionsRefreshRequest
from plaid.model.transactions_sync_request import TransactionsSyncRequest

from services.sync.linking import repository
from services.sync.models import LinkedItem
from services.sync.plaid import client as plaid_client
from shared.config import get_settings
from shared.crypto import decrypt
from shared.db import read_session
from shared.ids import decode_id
from tests.support.factories import new_user
from tests.support.graphql import data

__all__ = ["new_user"]

INSTITUTION = "ins_109508"  # First Platypus Bank

LINK = """mutation($token: String!) { linkInstitution(input: {publicToken: $token}) {
  linkedInstitution { id name status lastSyncedAt institutionId errorCode
  accounts { id name type currency balance { amount currency } } } } }"""

TRANSACTIONS = """query($first: Int, $after: String) {
  transactions(first: $first, after: $after) {
    edges { node { id date description pending notes amount { amount currency }
                   account { id type } category { id name } } }
    pageInfo { hasNextPage endCursor } } }"""


def plaid() -> PlaidApi:
    """The same plaid-python client the service uses (pointed at the live server)."""
    return plaid_client.client()


def webhook_url() -> str:
    return f"{get_settings().public_url}/webhooks/plaid"


def public_token(*, webhook: bool = False, username: str = "user_good") -> str:
    """A sandbox public token for a new item; with `webhook`, the bank sends it webhooks."""
    options: dict[str, Any] = {"override_username": username, "override_password": "pass_good"}
    if webhook:
        options["webhook"] = webhook_url()
    response = plaid().sandbox_public_token_create(
        SandboxPublicTokenCreateRequest(
            institution_id=INSTITUTION,
            initial_products=[Products("transactions")],
            options=SandboxPublicTokenCreateRequestOptions(**options),
        )
    )
    return str(response.public_token)


def exchange(token: str) -> tuple[str, str]:
    response = plaid().item_public_token_exchange(
        ItemPublicTokenExchangeRequest(public_token=token)
    )
    return str(response.access_token), str(response.item_id)


def refresh(access_token: str) -> None:
    """Plaid posts the pending transactions (and a new purchase shows up pending)."""
    plaid().transactions_refresh(TransactionsRefreshRequest(access_token=access_token))


def add_transactions(
    access_token: str, purchases: list[tuple[str, str]], currency: str = "USD"
) -> None:
    """Posted transactions on the checking account: (description, Plaid amount: + is out)."""
    today = date.today()
    plaid().sandbox_transactions_create(
        SandboxTransactionsCreateRequest(
            access_token=access_token,
            transactions=[
                CustomSandboxTransaction(
                    date_transacted=today,
                    date_posted=today,
                    amount=float(amount),
                    description=description,
                    iso_currency_code=currency,
                )
                for description, amount in purchases
            ],
        )
    )


def reset_login(access_token: str) -> None:
    plaid().sandbox_item_reset_login(SandboxItemResetLoginRequest(access_token=access_token))


def fire_webhook(access_token: str, code: str) -> None:
    plaid().sandbox_item_fire_webhook(
        SandboxItemFireWebhookRequest(access_token=access_token, webhook_code=code)
    )


@dataclass(frozen=True)
class PlaidTransaction:
    transaction_id: str
    date: date
    amount: Decimal  # in the LEDGER's sign
    description: str
    pending: bool
    category: str | None


def plaid_transactions(access_token: str) -> dict[str, PlaidTransaction]:
    """What Plaid holds for the item now: its whole history, replayed from no cursor.

    Written independently of the service (no shared code), so the two can check each other.
    """
    current: dict[str, PlaidTransaction] = {}
    cursor = ""
    while True:
        fields: dict[str, Any] = {"access_token": access_token, "count": 500}
        if cursor:
            fields["cursor"] = cursor
        page = plaid().transactions_sync(TransactionsSyncRequest(**fields))
        for txn in [*page.added, *page.modified]:
            category = txn.get("personal_finance_category")
            current[txn.transaction_id] = PlaidTransaction(
                transaction_id=txn.transaction_id,
                date=txn.date,
                amount=-Decimal(f"{txn.amount:.2f}"),
                description=txn.get("merchant_name") or txn.name,
                pending=txn.pending,
                category=category.detailed if category else None,
            )
        for removed in page.removed:
            current.pop(removed.transaction_id, None)
        cursor = page.next_cursor
        if not page.has_more:
            return current


async def in_thread(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """plaid-python blocks: off the test's event loop (the live server runs elsewhere)."""
    return await asyncio.to_thread(fn, *args, **kwargs)


@dataclass(frozen=True)
class LinkedBank:
    user_id: uuid.UUID
    graphql_id: str
    item_ref: uuid.UUID
    access_token: str
    plaid_item_id: str
    institution: dict[str, Any]


async def link_bank(user_id: uuid.UUID, *, webhook: bool = False) -> LinkedBank:
    token = await in_thread(public_token, webhook=webhook)
    linked = (await data(LINK, {"token": token}, user_id=user_id))["linkInstitution"][
        "linkedInstitution"
    ]
    item_ref = decode_id("LinkedInstitution", linked["id"])
    item = await stored_item(item_ref)
    return LinkedBank(
        user_id=user_id,
        graphql_id=linked["id"],
        item_ref=item_ref,
        access_token=decrypt(item.access_token_encrypted),
        plaid_item_id=item.plaid_item_id,
        institution=linked,
    )


async def stored_item(item_ref: uuid.UUID) -> LinkedItem:
    async with read_session() as session:
        item = await repository.get_item(session, item_ref)
    assert item is not None
    return item


async def until(check: Callable[[], Awaitable[Any]], timeout: float = 60) -> Any:
    """Poll an async check until it returns something truthy (background jobs finish later)."""
    deadline = time.monotonic() + timeout
    while True:
        result = await check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


async def first_sync_done(bank: LinkedBank) -> LinkedItem:
    """Wait for the sync that linking enqueued to be stored."""

    async def synced() -> LinkedItem | None:
        item = await stored_item(bank.item_ref)
        return item if item.last_synced_at is not None else None

    result: LinkedItem = await until(synced)
    return result


async def ledger_transactions(user_id: uuid.UUID) -> list[dict[str, Any]]:
    """Every transaction the user sees, through the ledger's GraphQL."""
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        page = (await data(TRANSACTIONS, {"first": 100, "after": after}, user_id=user_id))[
            "transactions"
        ]
        nodes.extend(edge["node"] for edge in page["edges"])
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


def fingerprint(rows: list[dict[str, Any]]) -> list[tuple[str, Decimal, str, bool]]:
    """Ledger rows as comparable facts: (date, amount, description, pending), sorted."""
    return sorted(
        (row["date"], Decimal(row["amount"]["amount"]), row["description"], row["pending"])
        for row in rows
    )


def expected_fingerprint(
    transactions: dict[str, PlaidTransaction],
) -> list[tuple[str, Decimal, str, bool]]:
    return sorted(
        (t.date.isoformat(), t.amount, t.description, t.pending) for t in transactions.values()
    )
