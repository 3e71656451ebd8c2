"""SQLAlchemy tables of the gateway service (identity). No other service imports this module.

Secrets are never stored in clear: `password_hash` is argon2id (PHC string) and a refresh token
is kept only as its SHA-256 digest. No relationships are declared: every load is an explicit
query in identity/repository.py.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.clock import UTCDateTime
from shared.db import service_metadata
from shared.validation import MAX_EMAIL_LENGTH

metadata = service_metadata()

MAX_USER_AGENT_LENGTH = 400


class Base(DeclarativeBase):
    metadata = metadata


class User(Base):
    __tablename__ = "gateway_users"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    # Always stored normalized (trimmed, lowercased), so the unique constraint is the rule.
    email: Mapped[str] = mapped_column(String(MAX_EMAIL_LENGTH), unique=True)
    # IANA name: what "today" and "this month" mean for this person.
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class UserSession(Base):
    """One signed-in device: the family of refresh tokens that rotate from one log-in."""

    __tablename__ = "gateway_sessions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("gateway_users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    user_agent: Mapped[str | None] = mapped_column(String(MAX_USER_AGENT_LENGTH))


class RefreshToken(Base):
    __tablename__ = "gateway_refresh_tokens"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    session_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("gateway_sessions.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ThrottleWindow(Base):
    """An attempt counter of the throttle (identity/throttle.py), when several processes count
    without Redis: its key names a limit and a hashed subject, never an email or an address."""

    __tablename__ = "gateway_throttle_windows"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
