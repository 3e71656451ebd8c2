"""An amount per category and month, and the styles of budgeting."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from services.ledger.models.base import Base
from shared.clock import UTCDateTime, utcnow

# How the user budgets (see budgets/months.py): a limit per category and month, or envelopes.
BUDGET_STYLES = ("limits", "envelope")
BUDGET_STYLE_LIMITS, BUDGET_STYLE_ENVELOPE = BUDGET_STYLES


class Budget(Base):
    __tablename__ = "ledger_budgets"
    __table_args__ = (UniqueConstraint("user_id", "category_id", "month"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    category_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ledger_categories.id", ondelete="CASCADE"), index=True
    )
    month: Mapped[str] = mapped_column(String(7))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
