"""Real HTTP receivers on 127.0.0.1 for the outgoing channels: a push service that checks the
VAPID JWT and decrypts each message with the browser's keys (as a browser would), and a
webhook receiver that checks the signature. Each answers the statuses it is told to, in turn.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import http_ece
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.support.servers import served


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Browser:
    """A browser's side of a push subscription: its P-256 key pair and auth secret."""

    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: os.urandom(16))
    token: str = field(default_factory=lambda: uuid.uuid4().hex)

    @property
    def p256dh(self) -> str:
        return b64url(
            self.key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int
    # Push: the decrypted payload; webhooks: the parsed JSON.
    payload: dict[str, Any] | None = None
    # Push: the VAPID claims; webhooks: the signature's timestamp.
    claims: dict[str, Any] | None = None
    problem: str | None = None


@dataclass
class PushService:
    url: str = ""
    browsers: dict[str, Browser] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    # Statuses to answer, per browser token, in turn; 201 once they run out.
    statuses: dict[str, list[int]] = field(default_factory=dict)
    vapid_public_key: str | None = None

    def browser(self) -> Browser:
        browser = Browser()
        self.browsers[browser.token] = browser
        return browser

    def endpoint(self, browser: Browser) -> str:
        return f"{self.url}/push/{browser.token}"

    async def handle(self, request: Request) -> Response:
        token = request.path_params["token"]
        body = await request.body()
        record = Received(request.url.path, dict(request.headers), body, 201)
        self.received.append(record)
        browser = self.browsers.get(token)
        if browser is None:
            record.status, record.problem = 404, "unknown subscription"
            return Response(status_code=404)
        try:
            record.claims = self._check_vapid(request.headers.get("authorization", ""))
            if request.headers.get("content-encoding") != "aes128gcm":
                raise ValueError("not aes128gcm")
            plain = http_ece.decrypt(
                body, private_key=browser.key, auth_secret=browser.auth, version="aes128gcm"
            )
            record.payload = json.loads(plain)
        except Exception as error:  # noqa: BLE001 - the test reads the problem
            record.status, record.problem = 400, f"{type(error).__name__}: {error}"
            return Response(status_code=400)
        queue = self.statuses.get(token, [])
        record.status = queue.pop(0) if queue else 201
        return Response(status_code=record.status)

    def _check_vapid(self, authorization: str) -> dict[str, Any]:
        scheme, _, params = authorization.partition(" ")
        if scheme != "vapid":
            raise ValueError(f"Authorization scheme {scheme!r}")
        parts = dict(part.strip().split("=", 1) for part in params.split(","))
        if self.vapid_public_key is not None and parts["k"] != self.vapid_public_key:
            raise ValueError("signed with another key than vapidPublicKey")
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(parts["k"]))
        claims: dict[str, Any] = jwt.decode(
            parts["t"], public, algorithms=["ES256"], audience=self.url
        )
        if not str(claims.get("sub", "")).startswith(("mailto:", "https://")):
            raise ValueError("no sub claim")
        return claims


@contextmanager
def push_service() -> Iterator[PushService]:
    service = PushService()
    app = Starlette(routes=[Route("/push/{token}", service.handle, methods=["POST"])])
    with served(app) as server:
        service.url = server.url
        yield service


@dataclass
class WebhookReceiver:
    url: str = ""
    secret: str = ""
    received: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)

    @property
    def hook_url(self) -> str:
        return f"{self.url}/hook"

    async def handle(self, request: Request) -> Response:
        body = await request.body()
        record = Received(request.url.path, dict(request.headers), body, 200)
        self.received.append(record)
        if not self.verifies(request.headers.get("tally-signature", ""), body):
            record.status, record.problem = 401, "bad signature"
            return Response(status_code=401)
        record.payload = json.loads(body)
        record.status = self.statuses.pop(0) if self.statuses else 200
        if record.status in (301, 302, 307):
            return Response(status_code=record.status, headers={"Location": "http://10.0.0.1/"})
        return Response(status_code=record.status)

    def verifies(self, header: str, body: bytes) -> bool:
        """The check docs/webhooks.md tells receivers to make."""
        try:
            parts = dict(part.split("=", 1) for part in header.split(","))
            timestamp = int(parts["t"])
        except (ValueError, KeyError):
            return False
        expected = hmac.new(
            self.secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
        ).hexdigest()
        return hmac.compare_digest(expected, parts.get("v1", ""))


@contextmanager
def webhook_receiver() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    app = Starlette(routes=[Route("/hook", receiver.handle, methods=["POST"])])
    with served(app) as server:
        receiver.url = server.url
        yield receiver
