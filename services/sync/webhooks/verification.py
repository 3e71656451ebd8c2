"""Plaid webhooks verified before anything is read from them (Plaid's documented procedure).

The `Plaid-Verification` header is a JWT whose header must say `alg: ES256` (anything else,
"none" and HS256 included, is refused before any key is looked at); its `kid` names an EC P-256
key fetched from /webhook_verification_key/get and cached in-process; the signature must verify
with that key; `iat` must be at most five minutes old; and the claim `request_body_sha256` must
equal the SHA-256 of the raw body, compared in constant time. Only then is the body parsed
(see `dispatch`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import threading
import time
from dataclasses import dataclass
from typing import Any, TypeVar

import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

from services.sync.plaid import client as plaid_client
from services.sync.plaid.errors import PlaidError
from shared.logging import get_logger

log = get_logger(__name__)

MAX_AGE_SECONDS = 5 * 60
# Tolerated difference between Plaid's clock and ours for an `iat` in the future.
CLOCK_SKEW_SECONDS = 60
KEY_CACHE_SECONDS = 60 * 60
UNKNOWN_KEY_CACHE_SECONDS = 60
MAX_CACHED_KEYS = 100
MAX_KID_LENGTH = 200


class WebhookRejected(Exception):
    """The webhook failed verification (the reason is logged, never told to the sender)."""


class KeyUnavailable(Exception):
    """Plaid could not be asked for the key right now."""


@dataclass(frozen=True)
class _CachedKey:
    public_key: ec.EllipticCurvePublicKey
    expired_at: float | None
    fetched_at: float

    def usable(self, now: float) -> ec.EllipticCurvePublicKey:
        if self.expired_at is not None and self.expired_at <= now:
            raise WebhookRejected("expired key")
        return self.public_key


class VerificationKeys:
    """Plaid's webhook keys by kid, cached in-process (shared by every event loop).

    Kids Plaid does not know are remembered apart, briefly and in bounded number: they are
    chosen by whoever sends the request, so they must neither evict real keys nor make every
    forged request cost a call to Plaid.
    """

    def __init__(self) -> None:
        self._keys: dict[str, _CachedKey] = {}
        self._unknown: dict[str, float] = {}
        self._lock = threading.Lock()

    def remember(self, kid: str, jwk: dict[str, Any]) -> ec.EllipticCurvePublicKey:
        """Parse and cache a JWK; raises WebhookRejected if it is not an EC P-256 key."""
        key = _public_key(jwk)
        expired_at = jwk.get("expired_at")
        entry = _CachedKey(key, float(expired_at) if expired_at is not None else None, time.time())
        with self._lock:
            _bounded_put(self._keys, kid, entry)
            self._unknown.pop(kid, None)
        return key

    def forget_all(self) -> None:
        with self._lock:
            self._keys.clear()
            self._unknown.clear()

    async def get(self, kid: str) -> ec.EllipticCurvePublicKey:
        now = time.time()
        with self._lock:
            cached = self._keys.get(kid)
            refused_at = self._unknown.get(kid)
        if cached is not None and now - cached.fetched_at < KEY_CACHE_SECONDS:
            return cached.usable(now)
        if refused_at is not None and now - refused_at < UNKNOWN_KEY_CACHE_SECONDS:
            raise WebhookRejected("unknown key id")
        try:
            jwk = await plaid_client.get_webhook_verification_key(kid)
        except PlaidError as error:
            if error.retryable:
                raise KeyUnavailable(error.error_code) from None
            log.warning("plaid_webhook.unknown_key", error_code=error.error_code)
            with self._lock:
                _bounded_put(self._unknown, kid, now)
            raise WebhookRejected("unknown key id") from None
        key = self.remember(kid, jwk)
        expired_at = jwk.get("expired_at")
        if expired_at is not None and float(expired_at) <= now:
            raise WebhookRejected("expired key")
        return key


V = TypeVar("V")


def _bounded_put(entries: dict[str, V], kid: str, value: V) -> None:
    if kid not in entries and len(entries) >= MAX_CACHED_KEYS:
        del entries[next(iter(entries))]  # the oldest insertion
    entries[kid] = value


def _public_key(jwk: dict[str, Any]) -> ec.EllipticCurvePublicKey:
    if jwk.get("kty") != "EC" or jwk.get("crv") != "P-256" or jwk.get("alg", "ES256") != "ES256":
        raise WebhookRejected("key is not an ES256 P-256 key")
    public_jwk = {name: jwk[name] for name in ("kty", "crv", "x", "y") if name in jwk}
    try:
        key = ECAlgorithm.from_jwk(json.dumps(public_jwk))
    except (jwt.InvalidKeyError, ValueError, TypeError):
        raise WebhookRejected("malformed key") from None
    if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, ec.SECP256R1):
        raise WebhookRejected("key is not a P-256 public key")
    return key


verification_keys = VerificationKeys()


async def verify(body: bytes, header: str | None) -> None:
    """Raise WebhookRejected unless `header` is Plaid's valid, fresh signature of `body`."""
    if not header or len(header) > 4_096:
        raise WebhookRejected("missing or oversized Plaid-Verification header")
    try:
        jwt_header = jwt.get_unverified_header(header)
    except jwt.InvalidTokenError:
        raise WebhookRejected("malformed JWT") from None
    if jwt_header.get("alg") != "ES256":
        raise WebhookRejected("algorithm is not ES256")
    kid = jwt_header.get("kid")
    if not isinstance(kid, str) or not kid or len(kid) > MAX_KID_LENGTH or not kid.isprintable():
        raise WebhookRejected("missing or malformed kid")
    key = await verification_keys.get(kid)
    try:
        claims = jwt.decode(
            header,
            key=key,
            algorithms=["ES256"],
            options={"require": ["iat"], "verify_aud": False},
            leeway=CLOCK_SKEW_SECONDS,
        )
    except jwt.InvalidTokenError as error:
        raise WebhookRejected(f"invalid token: {type(error).__name__}") from None
    issued_at = claims.get("iat")
    if isinstance(issued_at, bool) or not isinstance(issued_at, int | float):
        raise WebhookRejected("iat is not a number")
    if not math.isfinite(issued_at) or time.time() - issued_at > MAX_AGE_SECONDS:
        raise WebhookRejected("stale iat")
    claimed = claims.get("request_body_sha256")
    if not isinstance(claimed, str):
        raise WebhookRejected("no body hash")
    actual = hashlib.sha256(body).hexdigest()
    if not hmac.compare_digest(claimed.encode(), actual.encode()):
        raise WebhookRejected("body hash mismatch")
