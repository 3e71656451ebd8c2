"""Payees, and the normalised descriptions that name them."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from services.ledger.models.base import Base
from shared.clock import UTCDateTime, utcnow

MAX_PAYEE_NAME = 100
MAX_PAYEE_KEY = 100


class Payee(Base):
    """Whom money went to or came from (a merchant, an employer), named by the user or after
    the first description that mentioned it. Its name is in the text search index, like a
    transaction's description (see Transaction)."""

    __tablename__ = "ledger_payees"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    name: Mapped[str] = mapped_column(String(MAX_PAYEE_NAME))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class PayeeKey(Base):
    """A normalised description ("blue bottle coffee") and the payee it means. A merge moves
    the source payees' keys to the target, so later descriptions find the target."""

    __tablename__ = "ledger_payee_keys"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    key: Mapped[str] = mapped_column(String(MAX_PAYEE_KEY), primary_key=True)
    payee_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ledger_payees.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
