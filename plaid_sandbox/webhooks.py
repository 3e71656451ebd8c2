"""Webhooks: Plaid's payloads, signed the way Plaid signs them, delivered best-effort.

Plaid puts a JWT in the `Plaid-Verification` header: ES256 over P-256, header
`{"alg": "ES256", "kid": <key id>, "typ": "JWT"}`, claims `{"iat": <unix time>,
"request_body_sha256": <hex SHA-256 of the exact body bytes>}`. The receiver fetches the public
key by its kid from /webhook_verification_key/get. The emulator's key lives in its state, so
receivers that cached it keep verifying across restarts.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
import jwt
import structlog
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from plaid_sandbox import errors
from plaid_sandbox.state import SigningKeyRecord

log: structlog.stdlib.BoundLogger = structlog.get_logger(__name__)

ENVIRONMENT = "sandbox"

# Where webhooks may go unless the app is told more: this machine only.
LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")


class WebhookHosts:
    """The hosts the emulator will POST webhooks to.

    Anyone holding the emulator's (public) keys chooses an Item's webhook URL, so without a list
    the emulator would POST to any address its network reaches (SSRF). A URL is checked when it
    is given, on the host httpx will connect to, exactly (no resolution, no wildcards).
    """

    def __init__(self, hosts: Iterable[str]) -> None:
        self._hosts = frozenset(host.strip("[]").lower() for host in hosts if host)

    def allows(self, url: str) -> bool:
        try:
            return httpx.URL(url).host in self._hosts
        except httpx.InvalidURL:
            return False

    def check(self, url: str, field: str) -> str:
        try:
            httpx.URL(url)
        except httpx.InvalidURL:
            raise errors.invalid_field(f"{field} must be an http or https URL") from None
        if not self.allows(url):
            raise errors.invalid_field(
                f"{field} must point at one of the hosts this emulator sends webhooks to: "
                + ", ".join(sorted(self._hosts))
            )
        return url


@dataclass(frozen=True)
class Webhook:
    """A webhook to deliver once the API response has gone out."""

    url: str
    payload: dict[str, Any]
    delay: float = 0.0


def new_signing_key(now: datetime) -> SigningKeyRecord:
    private_key = ec.generate_private_key(ec.SECP256R1())
    pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return {
        "kid": str(uuid.uuid4()),
        "private_key_pem": pem.decode(),
        "created_at": int(now.timestamp()),
    }


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class WebhookSigner:
    def __init__(self, record: SigningKeyRecord) -> None:
        key = serialization.load_pem_private_key(record["private_key_pem"].encode(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise TypeError("the emulator's webhook signing key must be an EC key")
        self._key = key
        self.kid = record["kid"]
        self.created_at = record["created_at"]

    def jwk(self) -> dict[str, Any]:
        numbers = self._key.public_key().public_numbers()
        return {
            "alg": "ES256",
            "crv": "P-256",
            "kid": self.kid,
            "kty": "EC",
            "use": "sig",
            "x": _b64url(numbers.x.to_bytes(32, "big")),
            "y": _b64url(numbers.y.to_bytes(32, "big")),
            "created_at": self.created_at,
            "expired_at": None,
        }

    def sign(self, body: bytes, now: datetime) -> str:
        claims = {
            "iat": int(now.timestamp()),
            "request_body_sha256": hashlib.sha256(body).hexdigest(),
        }
        return jwt.encode(
            claims, self._key, algorithm="ES256", headers={"kid": self.kid, "typ": "JWT"}
        )


def sync_updates_available(item_id: str) -> dict[str, Any]:
    return {
        "webhook_type": "TRANSACTIONS",
        "webhook_code": "SYNC_UPDATES_AVAILABLE",
        "item_id": item_id,
        "initial_update_complete": True,
        "historical_update_complete": True,
        "environment": ENVIRONMENT,
    }


def item_webhook(item_id: str, code: str, **fields: Any) -> dict[str, Any]:
    return {
        "webhook_type": "ITEM",
        "webhook_code": code,
        "item_id": item_id,
        **fields,
        "environment": ENVIRONMENT,
    }


class WebhookDispatcher:
    """Sends webhooks from background tasks; a failure is logged, never raised."""

    def __init__(
        self,
        signer: WebhookSigner,
        clock: Callable[[], datetime],
        client: httpx.AsyncClient | None,
        hosts: WebhookHosts,
    ) -> None:
        self._signer = signer
        self._hosts = hosts
        self._clock = clock
        self._client = client
        self._owns_client = client is None
        self._tasks: set[asyncio.Task[None]] = set()

    def schedule(self, webhooks: list[Webhook]) -> None:
        for webhook in webhooks:
            task = asyncio.get_running_loop().create_task(self._deliver(webhook))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _deliver(self, webhook: Webhook) -> None:
        code = webhook.payload.get("webhook_code")
        if not self._hosts.allows(webhook.url):
            # A URL stored before the allowed hosts narrowed (the state file outlives them).
            log.warning("plaid_emulator.webhook_host_refused", url=webhook.url, code=code)
            return
        if webhook.delay > 0:
            await asyncio.sleep(webhook.delay)
        body = json.dumps(webhook.payload, indent=2).encode()
        headers = {
            "Content-Type": "application/json",
            "Plaid-Verification": self._signer.sign(body, self._clock()),
            "User-Agent": "Plaid Verifier",
        }
        try:
            if self._client is None:
                self._client = httpx.AsyncClient(timeout=10.0)
            response = await self._client.post(webhook.url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            log.warning(
                "plaid_emulator.webhook_failed", url=webhook.url, code=code, error=repr(exc)
            )
            return
        if response.status_code >= 300:
            log.warning(
                "plaid_emulator.webhook_rejected",
                url=webhook.url,
                code=code,
                status=response.status_code,
            )

    async def aclose(self, grace_seconds: float = 5.0) -> None:
        """Let webhooks in flight finish (for up to `grace_seconds`), then close the client."""
        pending = list(self._tasks)
        if pending:
            _, still_running = await asyncio.wait(pending, timeout=grace_seconds)
            for task in still_running:
                task.cancel()
            if still_running:
                await asyncio.gather(*still_running, return_exceptions=True)
        if self._owns_client and self._client is not None:
            await self._client.aclose()
            self._client = None
