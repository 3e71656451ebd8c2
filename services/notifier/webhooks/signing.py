"""The signature on every webhook request: `Tally-Signature: t=<unix time>,v1=<hex>`, where
the hex is HMAC-SHA256, keyed with the webhook's secret, of "<unix time>.<raw body>".

docs/webhooks.md tells receivers how to check it (and to refuse an old timestamp)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "Tally-Signature"
IDEMPOTENCY_HEADER = "Tally-Idempotency-Key"
SECRET_PREFIX = "whsec_"  # noqa: S105 - a label, not a secret


def new_secret() -> str:
    """A signing secret: 32 random bytes, url-safe, with a prefix that says what it is."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The header's value for `body` sent at `timestamp` (Unix seconds)."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"
