"""A user's web push subscriptions: this server's VAPID key, registering a browser's
subscription, listing and removing them.

Functions take a session or a unit of work and never commit.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier import outbound
from services.notifier.models import PushSubscription
from services.notifier.push import repository
from shared import crypto
from shared.clock import utcnow
from shared.config import get_settings, vapid_private_key
from shared.db import UnitOfWork
from shared.errors import BadUserInput, Conflict, NotFound
from shared.validation import check_unicode, clean_text

# One per browser profile the user enables push in; more is a runaway client.
MAX_SUBSCRIPTIONS_PER_USER = 20
MAX_USER_AGENT_LENGTH = 300


@dataclass(frozen=True)
class PushSubscriptionView:
    id: uuid.UUID
    endpoint: str
    user_agent: str | None
    created_at: datetime
    last_delivered_at: datetime | None


@dataclass(frozen=True)
class PushTarget:
    """What sending to one subscription needs (its keys in clear, for encryption only)."""

    id: uuid.UUID
    endpoint: str
    p256dh: str
    # None when no configured key opens it (TALLY_ENCRYPTION_KEYS lost the one it was under).
    auth: str | None


def _view(row: PushSubscription) -> PushSubscriptionView:
    return PushSubscriptionView(
        id=row.id,
        endpoint=row.endpoint,
        user_agent=row.user_agent,
        created_at=row.created_at,
        last_delivered_at=row.last_delivered_at,
    )


@lru_cache(maxsize=4)
def _signing_key(private_key: str) -> ec.EllipticCurvePrivateKey:
    return vapid_private_key(private_key)


def vapid_signing_key() -> ec.EllipticCurvePrivateKey:
    """This server's VAPID key (TALLY_VAPID_PRIVATE_KEY, or the one generated under var/)."""
    return _signing_key(get_settings().secret("vapid_private_key"))


def vapid_public_key() -> str:
    """The public half of the VAPID key as browsers take it (`applicationServerKey`): the
    base64url of its 65-byte uncompressed point."""
    raw = (
        vapid_signing_key()
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _base64url(value: str, field: str) -> bytes:
    text = check_unicode(value, field).strip()
    if not text or len(text) > 200 or not all(ch.isalnum() or ch in "-_=" for ch in text):
        raise BadUserInput(field, "must be base64url, as PushSubscription.getKey() gives it")
    try:
        return base64.urlsafe_b64decode(text.rstrip("=") + "=" * (-len(text.rstrip("=")) % 4))
    except (binascii.Error, ValueError):
        raise BadUserInput(field, "must be base64url") from None


def _clean_p256dh(value: str) -> str:
    raw = _base64url(value, "input.p256dh")
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        raise BadUserInput("input.p256dh", "must be a P-256 public key (65 bytes)") from None
    if len(raw) != 65:
        raise BadUserInput("input.p256dh", "must be an uncompressed P-256 public key (65 bytes)")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _clean_auth(value: str) -> str:
    raw = _base64url(value, "input.auth")
    if len(raw) != 16:
        raise BadUserInput("input.auth", "must be the 16-byte authentication secret")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


async def register_push_subscription(
    work: UnitOfWork,
    user_id: uuid.UUID,
    *,
    endpoint: str,
    p256dh: str,
    auth: str,
    user_agent: str | None = None,
) -> PushSubscriptionView:
    """Store a browser's subscription, or renew it (same endpoint: its keys are replaced).
    Everything is checked first: the endpoint's URL (outbound.py), the keys' sizes."""
    clean_endpoint = await outbound.check_destination(endpoint, "input.endpoint")
    clean_key = _clean_p256dh(p256dh)
    clean_auth = _clean_auth(auth)
    agent = (
        clean_text(user_agent, "input.userAgent", max_length=MAX_USER_AGENT_LENGTH, required=False)
        or None
        if user_agent is not None
        else None
    )
    existing = await repository.by_endpoint(work.session, user_id, clean_endpoint)
    if existing is not None:
        existing.p256dh = clean_key
        existing.auth_encrypted = crypto.encrypt(clean_auth)
        existing.user_agent = agent
        return _view(existing)
    if await repository.count(work.session, user_id) >= MAX_SUBSCRIPTIONS_PER_USER:
        raise Conflict(
            f"Push is on in {MAX_SUBSCRIPTIONS_PER_USER} browsers already; turn it off in one."
        )
    row = PushSubscription(
        id=uuid.uuid4(),
        user_id=user_id,
        endpoint=clean_endpoint,
        p256dh=clean_key,
        auth_encrypted=crypto.encrypt(clean_auth),
        user_agent=agent,
        created_at=utcnow(),
    )
    repository.add(work.session, row)
    return _view(row)


async def unregister_push_subscription(
    work: UnitOfWork, user_id: uuid.UUID, endpoint: str
) -> uuid.UUID:
    """Forget the caller's subscription at `endpoint`; NOT_FOUND if they have none there."""
    text = check_unicode(endpoint, "input.endpoint").strip()
    row = await repository.by_endpoint(work.session, user_id, text) if text else None
    if row is None:
        raise NotFound("PushSubscription")
    await repository.remove(work.session, user_id, [row.id])
    return row.id


async def push_subscriptions(
    session: AsyncSession, user_id: uuid.UUID
) -> list[PushSubscriptionView]:
    """The caller's subscriptions, oldest first."""
    return [_view(row) for row in await repository.subscriptions(session, user_id)]


async def push_targets(session: AsyncSession, user_id: uuid.UUID) -> list[PushTarget]:
    """Where to push the user's notifications, with the keys to encrypt for each."""
    return [
        PushTarget(
            id=row.id, endpoint=row.endpoint, p256dh=row.p256dh, auth=_opened(row.auth_encrypted)
        )
        for row in await repository.subscriptions(session, user_id)
    ]


def _opened(ciphertext: str) -> str | None:
    try:
        return crypto.decrypt(ciphertext)
    except ValueError:
        return None


async def record_outcomes(
    work: UnitOfWork,
    user_id: uuid.UUID,
    *,
    delivered: list[uuid.UUID],
    gone: list[uuid.UUID],
) -> None:
    """After a send: the subscriptions that took it, and the ones the push service says are
    gone (404/410), which are removed."""
    await repository.mark_delivered(work.session, user_id, delivered, utcnow())
    await repository.remove(work.session, user_id, gone)


async def reencrypt_auth_secrets(batch_size: int) -> int:
    """Re-encrypt every subscription's auth secret under the newest key, a batch per short
    transaction; how many were."""
    return await crypto.reencrypt_column(
        repository.batch_after, PushSubscription.auth_encrypted, batch_size
    )
