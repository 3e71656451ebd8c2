"""The user's tags (put on transactions in ledger_transaction_tags)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from services.ledger.models.base import Base
from shared.clock import UTCDateTime, utcnow

MAX_TAG_NAME = 50


class Tag(Base):
    __tablename__ = "ledger_tags"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    name: Mapped[str] = mapped_column(String(MAX_TAG_NAME))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
