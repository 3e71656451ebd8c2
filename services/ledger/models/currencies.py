"""Exchange rates between the user's currencies and their base currency."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import Date, Index, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from services.ledger.models.base import Base, ExactDecimal
from shared.clock import UTCDateTime, utcnow


class ExchangeRate(Base):
    """One unit of `currency` is worth `rate` units of `quote_currency` on `date` (and until
    the next rate), as the user entered or imported it. The quote currency is the base
    currency the user had when the rate was stored."""

    __tablename__ = "ledger_exchange_rates"
    __table_args__ = (
        UniqueConstraint("user_id", "currency", "quote_currency", "date"),
        # Keyset pagination: a user's rates, newest first.
        Index("ix_ledger_exchange_rates_user_id_date_id", "user_id", "date", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    currency: Mapped[str] = mapped_column(String(3))
    quote_currency: Mapped[str] = mapped_column(String(3))
    date: Mapped[dt.date] = mapped_column(Date)
    rate: Mapped[Decimal] = mapped_column(ExactDecimal)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
