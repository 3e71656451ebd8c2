"""A user's outgoing webhooks: creating one (its signing secret shown once, kept encrypted),
changing, re-enabling and deleting it, listing them with their recent attempts; and what the
sender records of each attempt, switching a webhook off after repeated failures.

Functions take a session or a unit of work and never commit.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier import outbound
from services.notifier.models import Webhook, WebhookDelivery
from services.notifier.rules.service import AlertKind
from services.notifier.webhooks import repository, signing
from shared import crypto
from shared.clock import utcnow
from shared.db import UnitOfWork
from shared.errors import BadUserInput, Conflict, NotFound
from shared.ids import decode_id
from shared.validation import clean_text

MAX_WEBHOOKS_PER_USER = 10
MAX_DESCRIPTION_LENGTH = 200
# After this many failed attempts in a row (any webhook answer but 2xx, or none), the webhook
# is switched off until the user turns it on again.
DISABLE_AFTER_FAILURES = 10
# The delivery log keeps this many attempts per webhook; `webhooks` shows the newest 20.
LOG_LENGTH = 50
RECENT_DELIVERIES = 20


@dataclass(frozen=True)
class WebhookDeliveryView:
    id: uuid.UUID
    notification_id: uuid.UUID
    attempted_at: datetime
    outcome: str
    status_code: int | None
    error: str | None
    duration_ms: int


@dataclass(frozen=True)
class WebhookView:
    id: uuid.UUID
    url: str
    description: str | None
    kinds: list[str] | None
    enabled: bool
    disabled_reason: str | None
    consecutive_failures: int
    created_at: datetime
    recent_deliveries: list[WebhookDeliveryView] = field(default_factory=list)


@dataclass(frozen=True)
class WebhookTarget:
    """What sending to one webhook needs (its secret in clear, for signing only)."""

    id: uuid.UUID
    url: str
    # None when no configured key opens it (TALLY_ENCRYPTION_KEYS lost the one it was under).
    secret: str | None


def _delivery_view(row: WebhookDelivery) -> WebhookDeliveryView:
    return WebhookDeliveryView(
        id=row.id,
        notification_id=row.notification_id,
        attempted_at=row.attempted_at,
        outcome=row.outcome,
        status_code=row.status_code,
        error=row.error,
        duration_ms=row.duration_ms,
    )


def _view(row: Webhook, deliveries: Sequence[WebhookDelivery] = ()) -> WebhookView:
    return WebhookView(
        id=row.id,
        url=row.url,
        description=row.description,
        kinds=list(row.kinds) if row.kinds is not None else None,
        enabled=row.enabled,
        disabled_reason=row.disabled_reason,
        consecutive_failures=row.consecutive_failures,
        created_at=row.created_at,
        recent_deliveries=[_delivery_view(d) for d in deliveries],
    )


def _clean_description(value: str | None) -> str | None:
    if value is None:
        return None
    return (
        clean_text(value, "input.description", max_length=MAX_DESCRIPTION_LENGTH, required=False)
        or None
    )


def _clean_kinds(kinds: Sequence[str] | None) -> list[str] | None:
    """The kinds, known and each once, in the order of the kinds; None for every kind."""
    if kinds is None:
        return None
    known = {kind.value for kind in AlertKind}
    names = {str(kind).strip().upper() for kind in kinds}
    unknown = names - known
    if unknown:
        raise BadUserInput("input.kinds", f"unknown kind {sorted(unknown)[0]!r}")
    if not names:
        raise BadUserInput("input.kinds", "must name at least one kind, or be null for all")
    return [kind.value for kind in AlertKind if kind.value in names]


async def create_webhook(
    work: UnitOfWork,
    user_id: uuid.UUID,
    *,
    url: str,
    description: str | None = None,
    kinds: Sequence[str] | None = None,
) -> tuple[WebhookView, str]:
    """A new, enabled webhook and its signing secret (the one time it is shown)."""
    clean_url = await outbound.check_destination(url, "input.url")
    clean_description = _clean_description(description)
    clean_kinds = _clean_kinds(kinds)
    if await repository.count(work.session, user_id) >= MAX_WEBHOOKS_PER_USER:
        raise Conflict(f"You can have at most {MAX_WEBHOOKS_PER_USER} webhooks.")
    secret = signing.new_secret()
    now = utcnow()
    row = Webhook(
        id=uuid.uuid4(),
        user_id=user_id,
        url=clean_url,
        description=clean_description,
        kinds=clean_kinds,
        secret_encrypted=crypto.encrypt(secret),
        enabled=True,
        disabled_reason=None,
        consecutive_failures=0,
        created_at=now,
        updated_at=now,
    )
    repository.add(work.session, row)
    return _view(row), secret


class Keep(enum.Enum):
    """A field of an update the caller left out (as opposed to setting it to null)."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True)
class WebhookChanges:
    """What to change; KEEP leaves a field as it is. `kinds` None: every kind. Enabling a
    webhook clears its failures and the reason it was switched off."""

    url: str | Keep = KEEP
    description: str | Keep | None = KEEP
    kinds: Sequence[str] | Keep | None = KEEP
    enabled: bool | Keep = KEEP


async def _owned(work: UnitOfWork, user_id: uuid.UUID, webhook_id: str) -> Webhook:
    row = await repository.webhook(
        work.session, user_id, decode_id("Webhook", webhook_id, "input.id")
    )
    if row is None:
        raise NotFound("Webhook")
    return row


async def update_webhook(
    work: UnitOfWork, user_id: uuid.UUID, webhook_id: str, changes: WebhookChanges
) -> WebhookView:
    """Change a webhook; everything is checked before anything changes."""
    row = await _owned(work, user_id, webhook_id)
    url = (
        await outbound.check_destination(changes.url, "input.url")
        if not isinstance(changes.url, Keep)
        else KEEP
    )
    description = (
        _clean_description(changes.description)
        if not isinstance(changes.description, Keep)
        else KEEP
    )
    kinds = _clean_kinds(changes.kinds) if not isinstance(changes.kinds, Keep) else KEEP
    if not isinstance(url, Keep):
        row.url = url
    if not isinstance(description, Keep):
        row.description = description
    if not isinstance(kinds, Keep):
        row.kinds = kinds
    if not isinstance(changes.enabled, Keep):
        if changes.enabled and not row.enabled:
            row.consecutive_failures = 0
            row.disabled_reason = None
        row.enabled = changes.enabled
    row.updated_at = utcnow()
    deliveries = await repository.recent_deliveries(
        work.session, user_id, [row.id], RECENT_DELIVERIES
    )
    return _view(row, deliveries)


async def delete_webhook(work: UnitOfWork, user_id: uuid.UUID, webhook_id: str) -> uuid.UUID:
    """Delete a webhook and its delivery log."""
    row = await _owned(work, user_id, webhook_id)
    await repository.delete_webhook(work.session, row)
    return row.id


async def webhooks(
    session: AsyncSession, user_id: uuid.UUID, *, with_deliveries: bool = True
) -> list[WebhookView]:
    """The caller's webhooks, oldest first, each with its newest attempts (two queries)."""
    rows = await repository.webhooks(session, user_id)
    if not with_deliveries:
        return [_view(row) for row in rows]
    deliveries = await repository.recent_deliveries(
        session, user_id, [row.id for row in rows], RECENT_DELIVERIES
    )
    by_webhook: dict[uuid.UUID, list[WebhookDelivery]] = {}
    for delivery in deliveries:
        by_webhook.setdefault(delivery.webhook_id, []).append(delivery)
    return [_view(row, by_webhook.get(row.id, [])) for row in rows]


async def webhook(session: AsyncSession, user_id: uuid.UUID, webhook_id: uuid.UUID) -> WebhookView:
    """One of the caller's webhooks; NOT_FOUND for anyone else's."""
    row = await repository.webhook(session, user_id, webhook_id)
    if row is None:
        raise NotFound("Webhook")
    deliveries = await repository.recent_deliveries(session, user_id, [row.id], RECENT_DELIVERIES)
    return _view(row, deliveries)


async def targets(
    session: AsyncSession, user_id: uuid.UUID, kind: str, idempotency_key: str
) -> tuple[list[WebhookTarget], int]:
    """The enabled webhooks of the user that take `kind` and have not yet taken this delivery,
    with their secrets; and how many of them took it already."""
    rows = [
        row
        for row in await repository.webhooks(session, user_id, enabled_only=True)
        if row.kinds is None or kind in row.kinds
    ]
    done = await repository.delivered_already(
        session, user_id, [row.id for row in rows], idempotency_key
    )
    pending = [
        WebhookTarget(id=row.id, url=row.url, secret=_opened(row.secret_encrypted))
        for row in rows
        if row.id not in done
    ]
    return pending, len(done)


def _opened(ciphertext: str) -> str | None:
    try:
        return crypto.decrypt(ciphertext)
    except ValueError:
        return None


@dataclass(frozen=True)
class Attempt:
    webhook_id: uuid.UUID
    outcome: str  # SENT, RETRY or FAILED
    status_code: int | None
    error: str | None
    duration_ms: int


async def record_attempt(
    work: UnitOfWork,
    user_id: uuid.UUID,
    notification_id: uuid.UUID,
    idempotency_key: str,
    attempt: Attempt,
) -> bool:
    """Log an attempt and count it: a success clears the webhook's failures, a failure adds
    one, and the DISABLE_AFTER_FAILURES-th in a row switches it off. True when it did."""
    repository.add(
        work.session,
        WebhookDelivery(
            id=uuid.uuid4(),
            webhook_id=attempt.webhook_id,
            user_id=user_id,
            notification_id=notification_id,
            idempotency_key=idempotency_key,
            attempted_at=utcnow(),
            outcome=attempt.outcome,
            status_code=attempt.status_code,
            error=attempt.error[:300] if attempt.error else None,
            duration_ms=attempt.duration_ms,
        ),
    )
    await work.session.flush()
    await repository.prune_log(work.session, user_id, attempt.webhook_id, LOG_LENGTH)
    if attempt.outcome == "SENT":
        await repository.reset_failures(work.session, user_id, attempt.webhook_id)
        return False
    failures = await repository.count_failure(work.session, user_id, attempt.webhook_id)
    if failures < DISABLE_AFTER_FAILURES:
        return False
    await repository.disable(
        work.session,
        user_id,
        attempt.webhook_id,
        f"switched off after {failures} failed deliveries in a row (the last: "
        f"{attempt.error or attempt.status_code}); turn it on again once it is fixed",
    )
    return True


async def reencrypt_secrets(batch_size: int) -> int:
    """Re-encrypt every webhook's signing secret under the newest key, a batch per short
    transaction; how many were."""
    return await crypto.reencrypt_column(
        repository.batch_after, Webhook.secret_encrypted, batch_size
    )
