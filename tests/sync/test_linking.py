"""Linking a bank: Link token, public-token exchange, the item stored safely, its accounts in
the ledger, and the first sync bringing the history, all against the live server's Plaid.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from services.sync.models import ItemStatus
from services.sync.plaid import client as plaid_client
from services.sync.plaid.errors import PlaidError
from services.sync.plaid.records import ExchangedItem
from shared.config import get_settings
from shared.crypto import decrypt
from shared.db import count_statements, read_session
from shared.ids import encode_id
from tests.support.graphql import data, error_codes, execute
from tests.sync import bank

pytestmark = pytest.mark.usefixtures("live_server")


async def test_a_link_token_is_made_for_the_user_with_tallys_webhook() -> None:
    user_id = await bank.new_user()
    token = (
        await data(
            "mutation { createLinkToken { linkToken expiration linkScriptUrl } }", user_id=user_id
        )
    )["createLinkToken"]
    assert token["linkToken"].startswith("link-sandbox-")
    assert datetime.fromisoformat(token["expiration"]) > datetime.now(UTC)
    # Link opens from the emulator's look-alike, served by this server (the emulator's mount).
    script_url = get_settings().public_url + token["linkScriptUrl"]
    script = await bank.in_thread(httpx.get, script_url, timeout=10)
    assert script.status_code == 200 and "window.Plaid" in script.text


async def test_linking_a_bank_puts_its_accounts_in_the_ledger_and_syncs_its_history() -> None:
    user_id = await bank.new_user()
    started = time.monotonic()
    linked = await bank.link_bank(user_id)

    institution = linked.institution
    assert institution["name"] == "First Platypus Bank"
    assert institution["institutionId"] == bank.INSTITUTION
    assert institution["status"] == ItemStatus.HEALTHY
    accounts = {account["name"]: account for account in institution["accounts"]}
    assert {a["type"] for a in accounts.values()} >= {"CHECKING", "SAVINGS", "CREDIT"}
    assert accounts["Plaid Checking"]["type"] == "CHECKING"
    assert accounts["Plaid Saving"]["type"] == "SAVINGS"
    assert accounts["Plaid Money Market"]["type"] == "SAVINGS"
    credit = accounts["Plaid Credit Card"]
    assert credit["type"] == "CREDIT"
    # A card balance is a debt: negative in the ledger.
    assert Decimal(credit["balance"]["amount"]) < 0

    item = await bank.first_sync_done(linked)
    print(f"\nlink → first sync stored (background job): {time.monotonic() - started:.3f}s")
    assert item.cursor

    expected = await bank.in_thread(bank.plaid_transactions, linked.access_token)
    rows = await bank.ledger_transactions(user_id)
    assert len(expected) >= 50
    assert len(rows) == len(expected)
    assert bank.fingerprint(rows) == bank.expected_fingerprint(expected)
    assert sum(Decimal(r["amount"]["amount"]) for r in rows) == sum(
        t.amount for t in expected.values()
    )
    assert all(row["amount"]["currency"] == "USD" for row in rows)

    groceries = [r for r in rows if (r["category"] or {}).get("name") == "Groceries"]
    income = [r for r in rows if (r["category"] or {}).get("name") == "Income"]
    assert groceries and income
    assert all(Decimal(r["amount"]["amount"]) < 0 for r in groceries)  # money out
    assert all(Decimal(r["amount"]["amount"]) > 0 for r in income)  # money in

    listed = (
        await data(
            "{ linkedInstitutions { id name status lastSyncedAt accounts { id } } }",
            user_id=user_id,
        )
    )["linkedInstitutions"]
    assert [entry["id"] for entry in listed] == [linked.graphql_id]
    assert listed[0]["lastSyncedAt"] is not None
    assert len(listed[0]["accounts"]) == len(institution["accounts"])


async def test_the_access_token_is_stored_only_encrypted() -> None:
    user_id = await bank.new_user()
    linked = await bank.link_bank(user_id)
    async with read_session() as session:
        raw = (
            await session.execute(
                text("SELECT access_token_encrypted FROM sync_items WHERE plaid_item_id = :id"),
                {"id": linked.plaid_item_id},
            )
        ).scalar_one()
    assert linked.access_token.startswith("access-sandbox-")
    assert "access-sandbox" not in raw
    assert linked.access_token not in raw
    assert decrypt(raw) == linked.access_token


async def test_a_retried_link_with_the_same_public_token_returns_the_same_institution() -> None:
    user_id = await bank.new_user()
    token = await bank.in_thread(bank.public_token)
    first = (await data(bank.LINK, {"token": token}, user_id=user_id))["linkInstitution"][
        "linkedInstitution"
    ]
    again = (await data(bank.LINK, {"token": token}, user_id=user_id))["linkInstitution"][
        "linkedInstitution"
    ]
    assert again["id"] == first["id"]
    listed = (await data("{ linkedInstitutions { id } }", user_id=user_id))["linkedInstitutions"]
    assert len(listed) == 1


async def test_linking_the_same_plaid_item_again_updates_it_instead_of_adding_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user_id = await bank.new_user()
    linked = await bank.link_bank(user_id)
    await bank.first_sync_done(linked)
    accounts_before = len(linked.institution["accounts"])

    # A second Link session that ends on the same Plaid item (same item_id).
    async def same_item(_token: str) -> ExchangedItem:
        return ExchangedItem(linked.access_token, linked.plaid_item_id)

    monkeypatch.setattr(plaid_client, "exchange_public_token", same_item)
    again = (await data(bank.LINK, {"token": "public-sandbox-another"}, user_id=user_id))[
        "linkInstitution"
    ]["linkedInstitution"]
    assert again["id"] == linked.graphql_id
    assert len(again["accounts"]) == accounts_before
    listed = (await data("{ linkedInstitutions { id } }", user_id=user_id))["linkedInstitutions"]
    assert len(listed) == 1

    # Someone else cannot take the item over.
    intruder = await bank.new_user()
    result = await execute(bank.LINK, {"token": "public-sandbox-stolen"}, user_id=intruder)
    assert error_codes(result) == ["CONFLICT"]
    assert (await data("{ linkedInstitutions { id } }", user_id=intruder)) == {
        "linkedInstitutions": []
    }
    assert (await bank.stored_item(linked.item_ref)).user_id == user_id


async def test_a_bad_public_token_is_a_clear_error_on_the_field() -> None:
    user_id = await bank.new_user()
    result = await execute(bank.LINK, {"token": "public-sandbox-not-a-token"}, user_id=user_id)
    assert error_codes(result) == ["BAD_USER_INPUT"]
    assert result.errors is not None
    assert (result.errors[0].extensions or {}).get("field") == "input.publicToken"

    empty = await execute(bank.LINK, {"token": "   "}, user_id=user_id)
    assert error_codes(empty) == ["BAD_USER_INPUT"]

    # Single use: once exchanged (here by someone else's app), a token is refused.
    token = await bank.in_thread(bank.public_token)
    await bank.in_thread(bank.exchange, token)
    used = await execute(bank.LINK, {"token": token}, user_id=user_id)
    assert error_codes(used) == ["BAD_USER_INPUT"]
    assert (await data("{ linkedInstitutions { id } }", user_id=user_id)) == {
        "linkedInstitutions": []
    }


async def test_other_plaid_failures_are_upstream_errors_that_never_leak_the_access_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user_id = await bank.new_user()
    linked = await bank.link_bank(user_id)
    await bank.first_sync_done(linked)

    async def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise PlaidError(
            500,
            "API_ERROR",
            "INTERNAL_SERVER_ERROR",
            f"boom for {linked.access_token}",
            "An unexpected error occurred. Please try again later.",
        )

    monkeypatch.setattr(plaid_client, "create_link_token", broken)
    result = await execute(
        "mutation($id: ID!) { createLinkToken(input: {linkedInstitutionId: $id}) { linkToken } }",
        {"id": linked.graphql_id},
        user_id=user_id,
    )
    assert error_codes(result) == ["UPSTREAM_ERROR"]
    assert result.errors is not None
    error = result.errors[0]
    assert error.message == "An unexpected error occurred. Please try again later."
    assert (error.extensions or {}).get("plaidErrorCode") == "INTERNAL_SERVER_ERROR"
    assert linked.access_token not in str(error.formatted)


async def test_sync_institution_enqueues_a_sync_of_ones_own_item_only() -> None:
    owner = await bank.new_user()
    linked = await bank.link_bank(owner)
    first = await bank.first_sync_done(linked)
    assert first.last_synced_at is not None

    query = (
        "mutation($id: ID!) { syncInstitution(input: {id: $id}) {"
        " linkedInstitution { id name status } } }"
    )
    answered = (await data(query, {"id": linked.graphql_id}, user_id=owner))["syncInstitution"][
        "linkedInstitution"
    ]
    assert answered["id"] == linked.graphql_id

    async def synced_again() -> bool:
        item = await bank.stored_item(linked.item_ref)
        assert item.last_synced_at is not None and first.last_synced_at is not None
        return item.last_synced_at > first.last_synced_at

    await bank.until(synced_again)

    stranger = await bank.new_user()
    result = await execute(query, {"id": linked.graphql_id}, user_id=stranger)
    assert error_codes(result) == ["NOT_FOUND"]
    for mutation in (
        "mutation($id: ID!) { createLinkToken(input: {linkedInstitutionId: $id}) { linkToken } }",
    ):
        assert error_codes(
            await execute(mutation, {"id": linked.graphql_id}, user_id=stranger)
        ) == ["NOT_FOUND"]
    wrong_kind = encode_id("Account", linked.item_ref)
    assert error_codes(await execute(query, {"id": wrong_kind}, user_id=owner)) == ["NOT_FOUND"]
    assert error_codes(await execute(query, {"id": "garbage!"}, user_id=owner)) == [
        "BAD_USER_INPUT"
    ]


async def test_signed_out_callers_get_nothing() -> None:
    for operation in (
        "{ linkedInstitutions { id } }",
        "mutation { createLinkToken { linkToken } }",
        'mutation { linkInstitution(input: {publicToken: "x"}) { linkedInstitution { id } } }',
    ):
        assert error_codes(await execute(operation, user_id=None)) == ["UNAUTHENTICATED"]


async def test_listing_institutions_with_their_accounts_costs_the_same_for_one_or_three() -> None:
    query = "{ linkedInstitutions { id name accounts { id name balance { amount } } } }"
    one = await bank.new_user()
    banks = [await bank.link_bank(one)]
    three = await bank.new_user()
    banks += [await bank.link_bank(three) for _ in range(3)]
    for linked in banks:  # let the background syncs finish: only this query is counted
        await bank.first_sync_done(linked)

    def ours(statements: list[str]) -> list[str]:
        return [s for s in statements if "sync_items" in s or "ledger_accounts" in s]

    async with count_statements() as for_one:
        listed_one = (await data(query, user_id=one))["linkedInstitutions"]
    async with count_statements() as for_three:
        listed_three = (await data(query, user_id=three))["linkedInstitutions"]
    assert len(listed_one) == 1 and len(listed_three) == 3
    assert all(len(entry["accounts"]) == 4 for entry in listed_one + listed_three)
    assert len(ours(for_three)) == len(ours(for_one)) == 2
