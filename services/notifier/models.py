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
    # The alert's structured facts (amounts as {"amount": "12.34", "currency": "USD"}), for
    # channels that format or send data rather than prose; null when the kind gives none.
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)


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
