"""Recurring series detected in the history, with the user's verdict and corrections."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, Date, Index, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from services.ledger.models.base import MAX_NAME, Base
from shared.clock import UTCDateTime, utcnow


class RecurringSeries(Base):
    """Transactions that recur (same series key, currency and direction, at a regular
    interval), as detection found them, with the user's verdict and corrections.

    Detection rewrites the detected figures; the user's own name, interval and amount
    (`user_*`, null when not given) win over them and are never overwritten.
    """

    __tablename__ = "ledger_recurring_series"
    __table_args__ = (
        # Named by hand: the conventional name is over PostgreSQL's 63 characters.
        UniqueConstraint(
            "user_id", "series_key", "currency", "direction", name="uq_ledger_recurring_series_key"
        ),
        # Keyset pagination: a user's series, most recently seen first.
        Index("ix_ledger_recurring_series_user_id_last_date_id", "user_id", "last_date", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    series_key: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    direction: Mapped[str] = mapped_column(String(3))  # "out" or "in"
    status: Mapped[str] = mapped_column(String(10))  # "suggested", "confirmed", "dismissed"
    name: Mapped[str] = mapped_column(String(MAX_NAME))
    user_name: Mapped[str | None] = mapped_column(String(MAX_NAME))
    detected_interval: Mapped[str] = mapped_column(String(10))  # "weekly" ... "yearly"
    user_interval: Mapped[str | None] = mapped_column(String(10))
    # The day of the month (31: the month's end) a monthly, quarterly or yearly series falls on.
    anchor_day: Mapped[int | None] = mapped_column(Integer)
    # Signed like transactions (money out negative), in minor units of `currency`.
    expected_minor: Mapped[int] = mapped_column(BigInteger)
    user_expected_minor: Mapped[int | None] = mapped_column(BigInteger)
    smallest_minor: Mapped[int] = mapped_column(BigInteger)
    largest_minor: Mapped[int] = mapped_column(BigInteger)
    occurrence_count: Mapped[int] = mapped_column(Integer)
    first_date: Mapped[dt.date] = mapped_column(Date)
    last_date: Mapped[dt.date] = mapped_column(Date)
    detected_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
