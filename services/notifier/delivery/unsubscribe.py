"""One-click unsubscribe tokens (RFC 8058): a link in every email that switches that kind's
emails off without a login. The token names the user and the kind and is signed with
TALLY_SECRET_KEY (HMAC-SHA256), so nobody can forge one for another user or kind; it does not
expire (an old email's link keeps working, as mail providers expect).
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass

from shared.config import get_settings

# The kind a digest's header unsubscribes from: every kind's email.
ALL_KINDS = "ALL"
_PURPOSE = b"tally.unsubscribe.v1"


@dataclass(frozen=True)
class Unsubscription:
    user_id: uuid.UUID
    kind: str


def _signature(user_id: uuid.UUID, kind: str) -> str:
    key = hashlib.sha256(_PURPOSE + get_settings().secret("secret_key").encode()).digest()
    mac = hmac.new(key, f"{user_id.hex}.{kind}".encode(), hashlib.sha256)
    return mac.hexdigest()[:40]


def token(user_id: uuid.UUID, kind: str) -> str:
    return f"{user_id.hex}.{kind}.{_signature(user_id, kind)}"


def verify(text: str) -> Unsubscription | None:
    """What a token unsubscribes, or None for a token that is malformed or not ours."""
    parts = text.strip().split(".")
    if len(parts) != 3 or len(text) > 200:
        return None
    user_hex, kind, signature = parts
    try:
        user_id = uuid.UUID(hex=user_hex)
    except ValueError:
        return None
    if not hmac.compare_digest(signature, _signature(user_id, kind)):
        return None
    return Unsubscription(user_id, kind)


def link(public_url: str, user_id: uuid.UUID, kind: str) -> str:
    return f"{public_url.rstrip('/')}/unsubscribe/email?token={token(user_id, kind)}"
