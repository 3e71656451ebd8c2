"""The ledger's own settings of a user: base currency and budgeting style."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from services.ledger.models.base import Base
from services.ledger.models.budgets import BUDGET_STYLE_LIMITS
from shared.clock import UTCDateTime, utcnow


class LedgerSettings(Base):
    """The ledger's own settings of a user (the ledger never reads the gateway's users)."""

    __tablename__ = "ledger_user_settings"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    # What budgets and reports count in; other currencies are converted into it.
    base_currency: Mapped[str] = mapped_column(String(3))
    budget_style: Mapped[str] = mapped_column(
        String(10), default=BUDGET_STYLE_LIMITS, server_default=BUDGET_STYLE_LIMITS
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
