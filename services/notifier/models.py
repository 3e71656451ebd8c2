"""SQLAlchemy tables of the notifier service. No other service imports this module."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.clock import UTCDateTime
from shared.db import service_metadata

metadata = service_metadata()


class Base(DeclarativeBase):
    metadata = metadata


class Recipient(Base):
    """Where a user's notifications are delivered, and where they live. The notifier owns
    delivery channels: it never reads the gateway's users, so the gateway hands the address and
    the time zone over at sign-up and on change.
    """

    __tablename__ = "notifier_recipients"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    # An IANA zone, as the gateway validated it: what "today" means in alert wording.
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    # A BCP 47 / CLDR locale ("en", "fr_CH"): the language and number formats of emails.
    locale: Mapped[str] = mapped_column(String(35), default="en", server_default="en")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AlertRule(Base):
    __tablename__ = "notifier_alert_rules"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    kind: Mapped[str] = mapped_column(String(40))
    enabled: Mapped[bool] = mapped_column(Boolean)
    # Only for kinds with a threshold (LARGE_TRANSACTION): exact minor units in a currency.
    threshold_minor: Mapped[int | None] = mapped_column(BigInteger)
    threshold_currency: Mapped[str | None] = mapped_column(String(3))
    # A ledger category id (no foreign key across services); None = every category.
    category_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # A ledger account or tag the rule is limited to, likewise; None = every one.
    account_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    tag_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # The kind's other parameters, checked by rules.kinds (e.g. {"percents": [80, 100]}).
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")
    # Where its notifications go: names of delivery.outgoing.Channel.
    channels: Mapped[list[str]] = mapped_column(
        JSON, default=lambda: ["IN_APP", "EMAIL"], server_default='["IN_APP", "EMAIL"]'
    )
    # Raises nothing before this moment (then again by itself); None = not snoozed.
    snoozed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Notification(Base):
    __tablename__ = "notifier_notifications"
    __table_args__ = (
        # At most one notification per user and subject (a category's month, a transaction):
        # the database, not the evaluator, is what makes retries and races harmless.
        UniqueConstraint("user_id", "dedupe_key"),
        Index("ix_notifier_notifications_user_newest", "user_id", "created_at", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    # The rule that raised it; null once the user deleted that rule (the notification stays).
    rule_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("notifier_alert_rules.id", ondelete="SET NULL")
    )
    kind: Mapped[str] = mapped_column(String(40))
    dedupe_key: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The alert's structured facts for channels that send data (amounts as strings, ids as
    # global ids); None for notifications from before it was kept.
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class PushSubscription(Base):
    """One browser's web push subscription (RFC 8030), as its service worker made it: where to
    send, and the keys to encrypt for it (RFC 8291)."""

    __tablename__ = "notifier_push_subscriptions"
    __table_args__ = (UniqueConstraint("user_id", "endpoint"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    # The push service's URL for this browser (a capability: whoever has it and the keys can
    # push to it, given this server's VAPID key).
    endpoint: Mapped[str] = mapped_column(String(2048))
    # The browser's P-256 public key (base64url, 65 bytes uncompressed).
    p256dh: Mapped[str] = mapped_column(String(100))
    # The browser's 16-byte authentication secret, encrypted with the rotatable keys.
    auth_encrypted: Mapped[str] = mapped_column(Text)
    user_agent: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Webhook(Base):
    """A URL the user's notifications are POSTed to, signed with a secret of its own."""

    __tablename__ = "notifier_webhooks"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    url: Mapped[str] = mapped_column(String(2048))
    description: Mapped[str | None] = mapped_column(String(200))
    # The alert kinds it receives, a JSON list of names; null: every kind.
    kinds: Mapped[list[str] | None] = mapped_column(JSON)
    # The signing secret, encrypted with the rotatable keys (shown to the user once).
    secret_encrypted: Mapped[str] = mapped_column(Text)
    enabled: Mapped[bool] = mapped_column(Boolean)
    # Why it was switched off, when the notifier did it (repeated failures).
    disabled_reason: Mapped[str | None] = mapped_column(String(300))
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WebhookDelivery(Base):
    """One attempt to POST one notification to one webhook: its delivery log."""

    __tablename__ = "notifier_webhook_deliveries"
    __table_args__ = (
        Index("ix_notifier_webhook_deliveries_newest", "webhook_id", "attempted_at", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    webhook_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("notifier_webhooks.id", ondelete="CASCADE")
    )
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    notification_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    idempotency_key: Mapped[str] = mapped_column(String(200))
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # SENT, RETRY or FAILED (delivery.outgoing.Outcome).
    outcome: Mapped[str] = mapped_column(String(10))
    # The receiver's HTTP status; null when no answer came (a timeout, a refused connection).
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(300))
    duration_ms: Mapped[int] = mapped_column(Integer)


class Delivery(Base):
    """One notification on its way through one channel: PENDING until the channel took it
    (SENT) or never will (FAILED, with the reason the user sees).

    A delivery job holds the row while it sends (`claimed_until`, a lease: a crashed worker's
    claim expires and another sends again, at least once). A PENDING row waits until
    `next_attempt_at` (a retry's backoff, the end of quiet hours), or for the daily digest
    (`in_digest`).
    """

    __tablename__ = "notifier_deliveries"
    __table_args__ = (
        UniqueConstraint("notification_id", "channel"),
        UniqueConstraint("idempotency_key"),
        # The periodic pass: what is due, oldest first.
        Index("ix_notifier_deliveries_due", "status", "next_attempt_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    notification_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("notifier_notifications.id", ondelete="CASCADE")
    )
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    channel: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(300))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A job for it is on its way until then: the periodic pass leaves it alone.
    queued_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    in_digest: Mapped[bool] = mapped_column(Boolean, default=False)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    idempotency_key: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DeliverySettings(Base):
    """How a user wants to be told beyond the app: quiet hours, the daily digest, rate limits
    per kind, and the kinds they unsubscribed from by email. No row = the defaults."""

    __tablename__ = "notifier_delivery_settings"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    # Minutes after local midnight; both null = no quiet hours. start > end spans midnight.
    quiet_start_minute: Mapped[int | None] = mapped_column(SmallInteger)
    quiet_end_minute: Mapped[int | None] = mapped_column(SmallInteger)
    # The local hour the digest goes out; null = no digest.
    digest_hour: Mapped[int | None] = mapped_column(SmallInteger)
    # The kinds that go into the digest instead of single emails; null = every kind.
    digest_kinds: Mapped[list[str] | None] = mapped_column(JSON)
    # The last local day a digest went out for (so each day has one).
    digest_sent_for: Mapped[date | None] = mapped_column(Date)
    # {kind: at most this many per hour}; kinds not named use the default.
    rate_limits: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    # Kinds whose emails the user switched off (one click in an email, or in settings).
    email_off_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
