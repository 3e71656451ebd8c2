"""Deleting one's account: the password again, every linked bank revoked at Plaid, then every
row of the user in every service gone in one transaction, every session ended; nobody else's
data touched; messages about the user that arrive later do nothing.

Completeness is checked from the tables, not from the services' code: every table of every
service must hold rows of the user before (a table added later fails here until the story
below gives the user rows in it), and none after. The text search index is no service's table
(tests/test_migrations.py accounts for it): it must equal the tables it indexes after the
deletion, i.e. hold nothing of the user's (tests/ledger/test_transaction_search.py looks for
their words in it too).
"""

from __future__ import annotations

import datetime as dt
import inspect
import uuid
from typing import Any

import plaid
import pytest
from plaid.model.item_get_request import ItemGetRequest
from sqlalchemy import select

from services.gateway.identity import service as identity
from services.notifier.actors import deliver_notification_email, on_transactions_changed
from services.sync.actors import sync_item
from services.sync.models import ItemRemoval
from services.sync.plaid import client as plaid_client
from services.sync.plaid.errors import PlaidError
from services.sync.user_data import service as sync_user_data
from shared.db import read_session
from shared.errors import Unauthenticated
from shared.ids import decode_id
from tests.support.client import TallyClient
from tests.support.graphql import data, error_codes, execute
from tests.support.search_index import assert_index_equals_its_tables
from tests.support.user_data import (
    HOLD_NO_USER,
    PASSWORD,
    every_table,
    keys_of,
    rows_of,
    sign_up,
    snapshot,
    user_with_data_everywhere,
)
from tests.sync import bank

pytestmark = pytest.mark.usefixtures("live_server")

DELETE = """mutation($i: DeleteMyAccountInput!) { deleteMyAccount(input: $i) {
  deletedUserId bankConnectionsRevoked bankConnectionsAwaitingRevocation } }"""


def _item_is_gone_at_plaid(access_token: str) -> bool:
    try:
        bank.plaid().item_get(ItemGetRequest(access_token=access_token))
    except plaid.ApiException:
        return True
    return False


async def _someone_else() -> tuple[uuid.UUID, dict[str, Any]]:
    other = await sign_up()
    account = (
        await data(
            """mutation { createAccount(input: {name: "Jar", type: CASH, currency: "USD"}) {
                 account { id } } }""",
            user_id=other.user_id,
        )
    )["createAccount"]["account"]["id"]
    await data(
        """mutation($a: ID!) { createTransaction(input: {accountId: $a, date: "2026-03-10",
             amount: "-3.00", description: "Bus"}) { transaction { id } } }""",
        {"a": account},
        user_id=other.user_id,
    )
    await data(
        """mutation { createGoal(input: {name: "Bike", targetAmount: "300"}) { goal { id } } }""",
        user_id=other.user_id,
    )

    async def settled() -> dict[str, list[dict[str, Any]]] | None:
        # Their announcements handled (outbox rows come and go with the workers).
        theirs = rows_of(await snapshot(), other.user_id)
        return None if "outbox_messages" in theirs else theirs

    return other.user_id, await bank.until(settled)


async def test_deleting_an_account_removes_every_row_of_the_user_in_every_service(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    everything = await user_with_data_everywhere(monkeypatch)
    user = everything.person.user_id
    other, others_rows = await _someone_else()
    before = rows_of(await snapshot(), user)
    assert every_table() - HOLD_NO_USER - set(before) == set(), (
        "give the user rows in these tables in user_with_data_everywhere, so that their "
        "deletion is checked"
    )

    deleted = (await data(DELETE, {"i": {"password": PASSWORD}}, user_id=user))["deleteMyAccount"]

    assert deleted == {
        "deletedUserId": everything.person.graphql_id,
        "bankConnectionsRevoked": 1,
        "bankConnectionsAwaitingRevocation": 0,
    }
    after = await snapshot()
    assert rows_of(after, user) == {}
    await assert_index_equals_its_tables()
    assert keys_of(before) & keys_of({name: after[name] for name in before}) == set()
    assert rows_of(after, other) == others_rows
    assert await bank.in_thread(_item_is_gone_at_plaid, everything.linked.access_token)
    with pytest.raises(Unauthenticated):
        await identity.authenticate_caller(everything.person.access_token)
    result = await execute(
        "mutation($i: LogInInput!) { logIn(input: $i) { accessToken } }",
        {"i": {"email": everything.person.email, "password": PASSWORD}},
        user_id=None,
    )
    assert error_codes(result) == ["UNAUTHENTICATED"]


async def test_messages_about_a_deleted_user_that_arrive_later_do_nothing() -> None:
    everything = await user_with_data_everywhere()
    user = everything.person.user_id
    transaction_id = str(decode_id("Transaction", everything.ids["transaction"]))
    notification_id = str(decode_id("Notification", everything.ids["notification"]))
    await data(DELETE, {"i": {"password": PASSWORD}}, user_id=user)

    # As if the broker had held them all along: each actor finds nothing, and writes nothing.
    await inspect.unwrap(on_transactions_changed.fn)(str(user), [transaction_id], ["2026-03"])
    await inspect.unwrap(deliver_notification_email.fn)(notification_id)
    await inspect.unwrap(sync_item.fn)(str(everything.linked.item_ref))

    assert rows_of(await snapshot(), user) == {}


async def test_a_bank_plaid_could_not_remove_is_deleted_all_the_same_and_removed_later(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    person = await sign_up()
    linked = await bank.link_bank(person.user_id)
    await bank.first_sync_done(linked)
    remove_item = plaid_client.remove_item

    async def plaid_down(_access_token: str) -> None:
        raise PlaidError(503, "API_ERROR", "PLANNED_MAINTENANCE", "Plaid is down for a while")

    monkeypatch.setattr(plaid_client, "remove_item", plaid_down)
    deleted = (await data(DELETE, {"i": {"password": PASSWORD}}, user_id=person.user_id))[
        "deleteMyAccount"
    ]

    assert deleted["bankConnectionsRevoked"] == 0
    assert deleted["bankConnectionsAwaitingRevocation"] == 1
    assert rows_of(await snapshot(), person.user_id) == {}
    async with read_session() as session:
        [waiting] = (
            await session.scalars(
                select(ItemRemoval).where(ItemRemoval.plaid_item_id == linked.plaid_item_id)
            )
        ).all()
    assert linked.access_token not in waiting.access_token_encrypted
    assert not await bank.in_thread(_item_is_gone_at_plaid, linked.access_token)

    monkeypatch.setattr(plaid_client, "remove_item", remove_item)  # Plaid is back
    await sync_user_data.enqueue_due_removals(untried_for=dt.timedelta(0))

    async def removed() -> bool:
        async with read_session() as session:
            return await session.get(ItemRemoval, waiting.id) is None

    await bank.until(removed)
    assert await bank.in_thread(_item_is_gone_at_plaid, linked.access_token)


async def test_only_the_accounts_password_deletes_it_and_guesses_are_slowed_down() -> None:
    person = await sign_up()
    account = """mutation { createAccount(input: {name: "Wallet", type: CASH, currency: "USD"})
      { account { id } } }"""
    await data(account, user_id=person.user_id)
    theirs = rows_of(await snapshot(), person.user_id)

    for attempt in ("not my password", ""):
        wrong = await execute(DELETE, {"i": {"password": attempt}}, user_id=person.user_id)
        assert error_codes(wrong) == ["BAD_USER_INPUT"]
        assert wrong.errors is not None
        assert (wrong.errors[0].extensions or {}).get("field") == "input.password"
    signed_out = await execute(DELETE, {"i": {"password": PASSWORD}}, user_id=None)
    assert error_codes(signed_out) == ["UNAUTHENTICATED"]
    assert rows_of(await snapshot(), person.user_id) == theirs

    guesser = await sign_up()
    codes = [
        error_codes(
            await execute(DELETE, {"i": {"password": f"guess {n}"}}, user_id=guesser.user_id)
        )
        for n in range(6)
    ]
    assert codes == [["BAD_USER_INPUT"]] * 5 + [["RATE_LIMITED"]]


def test_deleting_an_account_ends_its_sessions_and_frees_its_email(live_server: str) -> None:
    email = f"leaving-{uuid.uuid4().hex[:10]}@example.com"
    client = TallyClient(live_server)
    client.sign_up(email, PASSWORD)
    other_device = TallyClient(live_server)
    other_device.token = client(
        "mutation($i: LogInInput!) { logIn(input: $i) { accessToken } }",
        {"i": {"email": email, "password": PASSWORD}},
    )["logIn"]["accessToken"]
    live = other_device.subscribe("subscription { notifications { id } }")
    try:
        assert live.nothing_within(0.3)

        client(DELETE, {"i": {"password": PASSWORD}})

        assert live.completes()
        for device in (client, other_device):
            codes = [e["extensions"]["code"] for e in device.errors("{ me { id } }")]
            assert codes == ["UNAUTHENTICATED"]
        again = TallyClient(live_server)
        assert again.sign_up(email, PASSWORD)["user"]["id"]
        again.close()
    finally:
        live.close()
        client.close()
        other_device.close()
