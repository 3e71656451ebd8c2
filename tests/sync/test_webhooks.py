"""Plaid webhooks through the live server's /webhooks/plaid: real ones, signed by the bank (the
emulator), are verified and acted on; forged, stale, tampered or wrongly signed ones are
refused before anything in them is believed.

Negative cases are signed with a P-256 key of the test's own, registered in the verifier's key
cache under a kid of its own, so each case fails for exactly the reason it is about.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from services.sync.models import ItemStatus
from services.sync.plaid import client as plaid_client
from services.sync.webhooks import verification
from tests.support.graphql import data
from tests.sync import bank

pytestmark = pytest.mark.usefixtures("live_server")


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private: ec.EllipticCurvePrivateKey

    def jwk(self) -> dict[str, Any]:
        numbers = self.private.public_key().public_numbers()
        return {
            "alg": "ES256",
            "crv": "P-256",
            "kid": self.kid,
            "kty": "EC",
            "use": "sig",
            "x": _b64(numbers.x.to_bytes(32, "big")),
            "y": _b64(numbers.y.to_bytes(32, "big")),
            "created_at": int(time.time()),
            "expired_at": None,
        }

    def sign(
        self,
        body: bytes,
        *,
        iat: float | None = None,
        body_hash: str | None = None,
        kid: str | None = None,
    ) -> str:
        claims = {
            "iat": int(time.time() if iat is None else iat),
            "request_body_sha256": body_hash or hashlib.sha256(body).hexdigest(),
        }
        return jwt.encode(claims, self.private, algorithm="ES256", headers={"kid": kid or self.kid})


def _new_key() -> SigningKey:
    return SigningKey(f"test-{uuid.uuid4()}", ec.generate_private_key(ec.SECP256R1()))


@pytest.fixture
def trusted_key() -> SigningKey:
    key = _new_key()
    verification.verification_keys.remember(key.kid, key.jwk())
    return key


@pytest.fixture
async def http(live_server: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as client:
        yield client


async def _post(http: httpx.AsyncClient, body: bytes, header: str | None) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if header is not None:
        headers["Plaid-Verification"] = header
    return await http.post("/webhooks/plaid", content=body, headers=headers)


def _sync_body(plaid_item_id: str) -> bytes:
    return json.dumps(
        {
            "webhook_type": "TRANSACTIONS",
            "webhook_code": "SYNC_UPDATES_AVAILABLE",
            "item_id": plaid_item_id,
            "initial_update_complete": True,
            "historical_update_complete": True,
            "environment": "sandbox",
        },
        indent=2,
    ).encode()


async def _synced_after(linked: bank.LinkedBank, moment: Any) -> bool:
    item = await bank.stored_item(linked.item_ref)
    return item.last_synced_at is not None and item.last_synced_at > moment


async def test_the_banks_own_webhook_is_verified_and_syncs_the_new_transactions() -> None:
    linked = await bank.link_bank(await bank.new_user(), webhook=True)
    await bank.first_sync_done(linked)
    verification.verification_keys.forget_all()  # the key must come from Plaid, not a cache

    # The bank gets a new transaction and tells Tally with a signed SYNC_UPDATES_AVAILABLE.
    await bank.in_thread(bank.add_transactions, linked.access_token, [("Webhook Bistro", "31.70")])

    async def arrived() -> bool:
        rows = await bank.ledger_transactions(linked.user_id)
        return any(row["description"] == "Webhook Bistro" for row in rows)

    await bank.until(arrived)

    # Firing SYNC_UPDATES_AVAILABLE settles what was pending; the webhook's sync follows.
    await bank.in_thread(bank.fire_webhook, linked.access_token, "SYNC_UPDATES_AVAILABLE")

    async def settled() -> bool:
        rows = await bank.ledger_transactions(linked.user_id)
        return not any(row["pending"] for row in rows)

    await bank.until(settled)
    expected = await bank.in_thread(bank.plaid_transactions, linked.access_token)

    async def matches() -> bool:
        rows = await bank.ledger_transactions(linked.user_id)
        return bank.fingerprint(rows) == bank.expected_fingerprint(expected)

    await bank.until(matches)


async def test_a_valid_signature_is_accepted_and_enqueues_a_sync(
    http: httpx.AsyncClient, trusted_key: SigningKey
) -> None:
    linked = await bank.link_bank(await bank.new_user())
    first = await bank.first_sync_done(linked)
    body = _sync_body(linked.plaid_item_id)

    response = await _post(http, body, trusted_key.sign(body, iat=time.time() - 200))
    assert (response.status_code, response.json()) == (200, {"status": "accepted"})
    await bank.until(lambda: _synced_after(linked, first.last_synced_at))


async def test_a_replayed_webhook_is_acted_on_once(
    http: httpx.AsyncClient, trusted_key: SigningKey
) -> None:
    linked = await bank.link_bank(await bank.new_user())
    await bank.first_sync_done(linked)
    body = _sync_body(linked.plaid_item_id)
    genuine = trusted_key.sign(body, iat=time.time() - 10)

    replies = [(await _post(http, body, genuine)).json()["status"] for _ in range(30)]

    assert replies == ["accepted"] + ["ignored"] * 29
    # A new webhook (newly signed) for the same item is a new event.
    fresh = await _post(http, body, trusted_key.sign(body, iat=time.time() - 5))
    assert fresh.json() == {"status": "accepted"}


async def test_a_webhook_for_an_unknown_item_is_ignored(
    http: httpx.AsyncClient, trusted_key: SigningKey
) -> None:
    body = _sync_body("not-an-item-of-ours")
    response = await _post(http, body, trusted_key.sign(body))
    assert (response.status_code, response.json()) == (200, {"status": "ignored"})


async def test_a_signature_by_another_key_is_rejected(
    http: httpx.AsyncClient, trusted_key: SigningKey
) -> None:
    body = _sync_body("item")
    forger = _new_key()
    response = await _post(http, body, forger.sign(body, kid=trusted_key.kid))
    assert (response.status_code, response.json()) == (401, {"status": "rejected"})


async def test_a_stale_or_future_iat_is_rejected(
    http: httpx.AsyncClient, trusted_key: SigningKey
) -> None:
    body = _sync_body("item")
    stale = await _post(http, body, trusted_key.sign(body, iat=time.time() - 5 * 60 - 5))
    assert stale.status_code == 401
    future = await _post(http, body, trusted_key.sign(body, iat=time.time() + 10 * 60))
    assert future.status_code == 401


async def test_a_body_that_does_not_match_its_signature_is_rejected(
    http: httpx.AsyncClient, trusted_key: SigningKey
) -> None:
    signed = _sync_body("item-a")
    tampered = _sync_body("item-b")
    response = await _post(http, tampered, trusted_key.sign(signed))
    assert response.status_code == 401
    wrong_hash = await _post(http, signed, trusted_key.sign(signed, body_hash="0" * 64))
    assert wrong_hash.status_code == 401
    # The hash is of the exact bytes: re-serialised JSON with the same meaning is not the body.
    reformatted = json.dumps(json.loads(signed)).encode()
    assert (await _post(http, reformatted, trusted_key.sign(signed))).status_code == 401


def _token(header: dict[str, Any], claims: dict[str, Any], signature: bytes) -> str:
    head = _b64(json.dumps(header).encode())
    payload = _b64(json.dumps(claims).encode())
    return f"{head}.{payload}.{_b64(signature)}"


async def test_algorithms_other_than_es256_are_rejected(
    http: httpx.AsyncClient, trusted_key: SigningKey
) -> None:
    body = _sync_body("item")
    claims = {"iat": int(time.time()), "request_body_sha256": hashlib.sha256(body).hexdigest()}
    unsigned = _token({"alg": "none", "kid": trusted_key.kid, "typ": "JWT"}, claims, b"")
    assert (await _post(http, body, unsigned)).status_code == 401

    # HS256 keyed with the public key (the classic algorithm confusion attack).
    public_pem = trusted_key.private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = {"alg": "HS256", "kid": trusted_key.kid, "typ": "JWT"}
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    assert (await _post(http, body, _token(header, claims, mac))).status_code == 401

    es384 = ec.generate_private_key(ec.SECP384R1())
    other_curve = jwt.encode(claims, es384, algorithm="ES384", headers={"kid": trusted_key.kid})
    assert (await _post(http, body, other_curve)).status_code == 401


async def test_missing_malformed_or_unknown_key_signatures_are_rejected(
    http: httpx.AsyncClient,
) -> None:
    body = _sync_body("item")
    assert (await _post(http, body, None)).status_code == 401
    assert (await _post(http, body, "not.a.jwt")).status_code == 401
    # A kid Plaid does not know (the verifier asks Plaid, which says so).
    assert (await _post(http, body, _new_key().sign(body))).status_code == 401


async def test_a_key_plaid_has_expired_is_not_trusted(http: httpx.AsyncClient) -> None:
    key = _new_key()
    verification.verification_keys.remember(key.kid, {**key.jwk(), "expired_at": time.time() - 1})
    body = _sync_body("item")
    assert (await _post(http, body, key.sign(body))).status_code == 401


async def test_forged_kids_cost_one_question_to_plaid_each(
    http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    real = plaid_client.get_webhook_verification_key

    async def counting(key_id: str) -> dict[str, Any]:
        asked.append(key_id)
        return await real(key_id)

    monkeypatch.setattr(plaid_client, "get_webhook_verification_key", counting)
    forger = _new_key()
    body = _sync_body("item")
    for _ in range(3):
        assert (await _post(http, body, forger.sign(body))).status_code == 401
    assert asked == [forger.kid]


async def test_a_verified_body_that_is_not_json_is_a_bad_request(
    http: httpx.AsyncClient, trusted_key: SigningKey
) -> None:
    for body in (b"{not json", b"[1, 2]", b'{"item_id": "x"}'):
        response = await _post(http, body, trusted_key.sign(body))
        assert response.status_code == 400, body


async def test_login_required_and_repaired_webhooks_set_the_items_health() -> None:
    linked = await bank.link_bank(await bank.new_user(), webhook=True)
    await bank.first_sync_done(linked)

    async def status() -> dict[str, Any]:
        listed = (
            await data("{ linkedInstitutions { status errorCode } }", user_id=linked.user_id)
        )["linkedInstitutions"]
        return dict(listed[0])

    # The bank wants the user to sign in again: it says so with ITEM/ERROR.
    await bank.in_thread(bank.reset_login, linked.access_token)
    await bank.until(lambda: _status_is(status, ItemStatus.LOGIN_REQUIRED, "ITEM_LOGIN_REQUIRED"))
    # Meanwhile the bank records a purchase; its SYNC_UPDATES_AVAILABLE cannot be acted on.
    await bank.in_thread(
        bank.add_transactions, linked.access_token, [("Bought while locked out", "8.80")]
    )

    async def purchase_arrived() -> bool:
        rows = await bank.ledger_transactions(linked.user_id)
        return any(row["description"] == "Bought while locked out" for row in rows)

    # The login is repaired (outside the app): healthy again, and the sync that follows
    # brings what the bank recorded meanwhile.
    await bank.in_thread(bank.fire_webhook, linked.access_token, "LOGIN_REPAIRED")
    await bank.until(lambda: _status_is(status, ItemStatus.HEALTHY, None))
    await bank.until(purchase_arrived)


async def test_revoked_or_broken_items_are_marked_in_error(
    http: httpx.AsyncClient, trusted_key: SigningKey
) -> None:
    # An item without a webhook URL: no sync of its own runs behind the test's back.
    linked = await bank.link_bank(await bank.new_user())
    await bank.first_sync_done(linked)

    async def send(payload: dict[str, Any]) -> None:
        body = json.dumps({**payload, "item_id": linked.plaid_item_id}).encode()
        response = await _post(http, body, trusted_key.sign(body))
        assert (response.status_code, response.json()) == (200, {"status": "accepted"})

    await send({"webhook_type": "ITEM", "webhook_code": "USER_PERMISSION_REVOKED"})
    item = await bank.stored_item(linked.item_ref)
    assert (item.status, item.error_code) == (ItemStatus.ERROR, "USER_PERMISSION_REVOKED")

    await send(
        {
            "webhook_type": "ITEM",
            "webhook_code": "ERROR",
            "error": {"error_type": "ITEM_ERROR", "error_code": "ITEM_LOCKED"},
        }
    )
    item = await bank.stored_item(linked.item_ref)
    assert (item.status, item.error_code) == (ItemStatus.ERROR, "ITEM_LOCKED")


async def _status_is(status: Any, expected: str, code: str | None) -> bool:
    current = await status()
    return bool(current == {"status": expected, "errorCode": code})
