"""Webhooks: Plaid's payloads, signed as Plaid signs them, verified as the docs say to."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

import jwt
import pytest
from plaid import ApiException
from plaid.model.item_get_request import ItemGetRequest
from plaid.model.item_webhook_update_request import (
    ItemWebhookUpdateRequest,
)
from plaid.model.sandbox_item_fire_webhook_request import (
    SandboxItemFireWebhookRequest,
)
from plaid.model.sandbox_item_reset_login_request import (
    SandboxItemResetLoginRequest,
)
from plaid.model.transactions_sync_request import (
    TransactionsSyncRequest,
)
from plaid.model.webhook_type import WebhookType
from plaid.model.webhook_verification_key_get_request import (
    WebhookVerificationKeyGetRequest,
)

from tests.plaid_sandbox.harness import Emulator, ReceivedWebhook, WebhookReceiver
from tests.support.plaid_contract import PlaidContract


def verify(api: Any, hook: ReceivedWebhook, contract: PlaidContract) -> dict[str, Any]:
    """Check a webhook the way Plaid's docs tell a receiver to, and return its body."""
    token = hook.headers["plaid-verification"]
    header = jwt.get_unverified_header(token)
    assert header == {"alg": "ES256", "kid": header["kid"], "typ": "JWT"}
    key = api.webhook_verification_key_get(WebhookVerificationKeyGetRequest(key_id=header["kid"]))
    jwk = key.key.to_dict()
    assert (jwk["alg"], jwk["crv"], jwk["kty"], jwk["use"]) == ("ES256", "P-256", "EC", "sig")
    assert jwk["kid"] == header["kid"] and jwk["expired_at"] is None
    claims = jwt.decode(token, jwt.PyJWK(jwk).key, algorithms=["ES256"])
    assert set(claims) == {"iat", "request_body_sha256"}
    assert time.time() - 300 <= claims["iat"] <= time.time() + 5
    digest = hashlib.sha256(hook.body).hexdigest()
    assert hmac.compare_digest(claims["request_body_sha256"], digest)
    assert hook.headers["content-type"] == "application/json"
    body: dict[str, Any] = json.loads(hook.body)
    assert contract.webhook_violations(body) == []
    assert body["environment"] == "sandbox"
    return body


def fire(api: Any, access_token: str, code: str, webhook_type: str | None = None) -> Any:
    request = SandboxItemFireWebhookRequest(access_token=access_token, webhook_code=code)
    if webhook_type is not None:
        request.webhook_type = WebhookType(webhook_type)
    return api.sandbox_item_fire_webhook(request)


def sandbox_error(call: Any, *args: Any) -> str:
    with pytest.raises(ApiException) as caught:
        call(*args)
    body = json.loads(caught.value.body)
    assert caught.value.status == 400
    return f"{body['error_type']}/{body['error_code']}"


def test_initial_update_webhook_is_signed(
    emulator: Emulator, webhook_receiver: WebhookReceiver, plaid_contract: PlaidContract
) -> None:
    hooks, url = webhook_receiver.new_url()
    item = emulator.link(webhook=url)
    [hook] = webhook_receiver.wait_for(hooks, 1)
    body = verify(emulator.api, hook, plaid_contract)
    assert body == {
        "webhook_type": "TRANSACTIONS",
        "webhook_code": "SYNC_UPDATES_AVAILABLE",
        "item_id": item.item_id,
        "initial_update_complete": True,
        "historical_update_complete": True,
        "environment": "sandbox",
    }
    header = jwt.get_unverified_header(hook.headers["plaid-verification"])
    jwk = emulator.api.webhook_verification_key_get(
        WebhookVerificationKeyGetRequest(key_id=header["kid"])
    ).key.to_dict()
    claims = jwt.decode(hook.headers["plaid-verification"], jwt.PyJWK(jwk).key, ["ES256"])
    tampered = hook.body.replace(b"true", b"false", 1)
    assert claims["request_body_sha256"] != hashlib.sha256(tampered).hexdigest()

    status = emulator.api.item_get(ItemGetRequest(access_token=item.access_token)).status
    assert status.last_webhook.code_sent == "SYNC_UPDATES_AVAILABLE"
    assert (
        sandbox_error(
            emulator.api.webhook_verification_key_get,
            WebhookVerificationKeyGetRequest(key_id="not-a-key"),
        )
        == "INVALID_INPUT/INVALID_WEBHOOK_VERIFICATION_KEY_ID"
    )


def test_signing_key_survives_restart(
    private_emulator: Emulator, webhook_receiver: WebhookReceiver, plaid_contract: PlaidContract
) -> None:
    emulator = private_emulator
    hooks, url = webhook_receiver.new_url()
    item = emulator.link(webhook=url)
    [before] = webhook_receiver.wait_for(hooks, 1)
    kid = jwt.get_unverified_header(before.headers["plaid-verification"])["kid"]

    emulator.restart()
    fire(emulator.api, item.access_token, "NEW_ACCOUNTS_AVAILABLE")
    after = webhook_receiver.wait_for(hooks, 2)[1]
    assert jwt.get_unverified_header(after.headers["plaid-verification"])["kid"] == kid
    assert verify(emulator.api, before, plaid_contract)["item_id"] == item.item_id
    assert verify(emulator.api, after, plaid_contract)["webhook_code"] == "NEW_ACCOUNTS_AVAILABLE"


def test_fire_webhook_codes(
    emulator: Emulator, webhook_receiver: WebhookReceiver, plaid_contract: PlaidContract
) -> None:
    api = emulator.api
    hooks, url = webhook_receiver.new_url()
    item = emulator.link(webhook=url)
    webhook_receiver.wait_for(hooks, 1)
    codes = [
        "DEFAULT_UPDATE",
        "NEW_ACCOUNTS_AVAILABLE",
        "PENDING_DISCONNECT",
        "USER_PERMISSION_REVOKED",
        "USER_ACCOUNT_REVOKED",
        "LOGIN_REPAIRED",
    ]
    for code in codes:
        assert fire(api, item.access_token, code).webhook_fired is True
    received = webhook_receiver.wait_for(hooks, 1 + len(codes))[1:]
    bodies = {
        body["webhook_code"]: body for body in (verify(api, h, plaid_contract) for h in received)
    }
    assert sorted(bodies) == sorted(codes)
    assert bodies["DEFAULT_UPDATE"]["webhook_type"] == "TRANSACTIONS"
    assert bodies["USER_PERMISSION_REVOKED"]["error"]["error_code"] == "USER_PERMISSION_REVOKED"
    assert bodies["PENDING_DISCONNECT"]["reason"] == "INSTITUTION_MIGRATION"
    assert all(body["item_id"] == item.item_id for body in bodies.values())

    assert sandbox_error(fire, api, item.access_token, "ERROR") == (
        "SANDBOX_ERROR/SANDBOX_PRODUCT_NOT_ENABLED"
    )
    assert sandbox_error(fire, api, item.access_token, "PRODUCT_READY") == (
        "SANDBOX_ERROR/SANDBOX_PRODUCT_NOT_ENABLED"
    )
    assert sandbox_error(fire, api, item.access_token, "DEFAULT_UPDATE", "AUTH") == (
        "SANDBOX_ERROR/SANDBOX_PRODUCT_NOT_ENABLED"
    )
    no_webhook = emulator.link()
    assert sandbox_error(fire, api, no_webhook.access_token, "SYNC_UPDATES_AVAILABLE") == (
        "SANDBOX_ERROR/SANDBOX_WEBHOOK_INVALID"
    )


def test_error_webhook_and_login_repaired(
    emulator: Emulator, webhook_receiver: WebhookReceiver, plaid_contract: PlaidContract
) -> None:
    api = emulator.api
    hooks, url = webhook_receiver.new_url()
    item = emulator.link(webhook=url)
    api.sandbox_item_reset_login(SandboxItemResetLoginRequest(access_token=item.access_token))
    fire(api, item.access_token, "ERROR")
    bodies = [verify(api, h, plaid_contract) for h in webhook_receiver.wait_for(hooks, 3)]
    errors = [body for body in bodies if body["webhook_code"] == "ERROR"]
    assert len(errors) == 2
    assert all(body["error"]["error_code"] == "ITEM_LOGIN_REQUIRED" for body in errors)
    assert (
        sandbox_error(
            api.transactions_sync, TransactionsSyncRequest(access_token=item.access_token)
        )
        == "ITEM_ERROR/ITEM_LOGIN_REQUIRED"
    )

    fire(api, item.access_token, "LOGIN_REPAIRED")
    repaired = verify(api, webhook_receiver.wait_for(hooks, 4)[3], plaid_contract)
    assert repaired["webhook_code"] == "LOGIN_REPAIRED"
    assert api.item_get(ItemGetRequest(access_token=item.access_token)).item.error is None
    synced = api.transactions_sync(TransactionsSyncRequest(access_token=item.access_token, count=1))
    assert len(synced.added) == 1


def test_sync_updates_available_posts_pending(
    emulator: Emulator, webhook_receiver: WebhookReceiver, plaid_contract: PlaidContract
) -> None:
    api = emulator.api
    hooks, url = webhook_receiver.new_url()
    item = emulator.link(webhook=url)
    cursor, pending = "", set()
    while True:
        request = TransactionsSyncRequest(access_token=item.access_token, count=500)
        if cursor:
            request.cursor = cursor
        page = api.transactions_sync(request)
        pending |= {t.transaction_id for t in page.added if t.pending}
        cursor = page.next_cursor
        if not page.has_more:
            break
    assert pending

    fire(api, item.access_token, "SYNC_UPDATES_AVAILABLE", "TRANSACTIONS")
    bodies = [verify(api, h, plaid_contract) for h in webhook_receiver.wait_for(hooks, 2)]
    assert [b["webhook_code"] for b in bodies] == ["SYNC_UPDATES_AVAILABLE"] * 2
    update = api.transactions_sync(
        TransactionsSyncRequest(access_token=item.access_token, cursor=cursor)
    )
    assert {r.transaction_id for r in update.removed} == pending
    assert {t.pending_transaction_id for t in update.added} == pending
    assert not any(t.pending for t in update.added)


def test_webhook_update_is_acknowledged(
    emulator: Emulator, webhook_receiver: WebhookReceiver, plaid_contract: PlaidContract
) -> None:
    api = emulator.api
    item = emulator.link()
    hooks, url = webhook_receiver.new_url()
    updated = api.item_webhook_update(
        ItemWebhookUpdateRequest(access_token=item.access_token, webhook=url)
    )
    assert updated.item.webhook == url
    [hook] = webhook_receiver.wait_for(hooks, 1)
    body = verify(api, hook, plaid_contract)
    assert (body["webhook_code"], body["new_webhook_url"]) == ("WEBHOOK_UPDATE_ACKNOWLEDGED", url)


def test_undeliverable_webhooks_do_not_break_the_api(emulator: Emulator) -> None:
    # Port 9 (discard) on loopback: nothing listens there, so delivery fails at once.
    item = emulator.link(webhook="http://127.0.0.1:9/plaid")
    assert fire(emulator.api, item.access_token, "NEW_ACCOUNTS_AVAILABLE").webhook_fired
    got = emulator.api.item_get(ItemGetRequest(access_token=item.access_token))
    assert got.item.webhook == "http://127.0.0.1:9/plaid"
