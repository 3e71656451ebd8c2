"""An item's health as sync runs find it: a login the bank wants renewed is recorded (not
retried) until the user signs in again through Link update mode; a refused item is an ERROR.
"""

from __future__ import annotations

from typing import Any

import pytest

from services.sync.models import ItemStatus
from services.sync.plaid import client as plaid_client
from services.sync.runs import service
from shared.config import get_settings
from tests.support.graphql import data
from tests.support.plaid_link import complete_link
from tests.sync import bank

pytestmark = pytest.mark.usefixtures("live_server")

STATUS = "{ linkedInstitutions { id status errorCode lastSyncedAt } }"


async def _institution(user_id: Any) -> dict[str, Any]:
    listed = (await data(STATUS, user_id=user_id))["linkedInstitutions"]
    assert len(listed) == 1
    return dict(listed[0])


async def test_a_login_the_bank_wants_renewed_is_recorded_until_the_user_signs_in_again() -> None:
    linked = await bank.link_bank(await bank.new_user())
    first = await bank.first_sync_done(linked)
    await bank.in_thread(bank.reset_login, linked.access_token)

    for _ in range(2):  # recorded, not raised: retrying cannot help until the user acts
        result = await service.sync_linked_item(linked.item_ref)
        assert result.outcome == "login_required"
    shown = await _institution(linked.user_id)
    assert (shown["status"], shown["errorCode"]) == (
        ItemStatus.LOGIN_REQUIRED,
        "ITEM_LOGIN_REQUIRED",
    )
    assert (await bank.stored_item(linked.item_ref)).cursor == first.cursor

    # The app opens Link in update mode for this item; the user signs in again.
    token = (
        await data(
            "mutation($id: ID!) { createLinkToken(input: {linkedInstitutionId: $id}) {"
            " linkToken } }",
            {"id": linked.graphql_id},
            user_id=linked.user_id,
        )
    )["createLinkToken"]
    assert token["linkToken"].startswith("link-sandbox-")
    await bank.in_thread(complete_link, get_settings().plaid_host, token["linkToken"])
    await data(
        "mutation($id: ID!) { syncInstitution(input: {id: $id}) { linkedInstitution { id } } }",
        {"id": linked.graphql_id},
        user_id=linked.user_id,
    )

    async def healthy_and_synced() -> bool:
        shown = await _institution(linked.user_id)
        item = await bank.stored_item(linked.item_ref)
        assert item.last_synced_at is not None and first.last_synced_at is not None
        return (
            shown["status"] == ItemStatus.HEALTHY
            and shown["errorCode"] is None
            and item.last_synced_at > first.last_synced_at
        )

    await bank.until(healthy_and_synced)


async def test_an_item_plaid_no_longer_knows_is_marked_in_error() -> None:
    linked = await bank.link_bank(await bank.new_user())
    await bank.first_sync_done(linked)
    await plaid_client.remove_item(linked.access_token)

    result = await service.sync_linked_item(linked.item_ref)
    assert result.outcome == "error"
    shown = await _institution(linked.user_id)
    assert (shown["status"], shown["errorCode"]) == (ItemStatus.ERROR, "INVALID_ACCESS_TOKEN")
    # The ledger keeps what was synced.
    assert await bank.ledger_transactions(linked.user_id)
