"""The user's accounts, manual or linked, and their reconciliations with bank statements."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, Date, ForeignKey, Index, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from services.ledger.models.base import MAX_NAME, Base
from shared.clock import UTCDateTime, utcnow

ACCOUNT_TYPES = ("checking", "savings", "credit", "loan", "investment", "cash")


class Account(Base):
    __tablename__ = "ledger_accounts"
    # NULLs are distinct in unique constraints on both SQLite and PostgreSQL, so manual
    # accounts (no item) never clash; bank accounts are unique per linked item.
    __table_args__ = (UniqueConstraint("item_ref", "provider_account_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME))
    type: Mapped[str] = mapped_column(String(20))
    currency: Mapped[str] = mapped_column(String(3))
    opening_balance_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    item_ref: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    provider_account_id: Mapped[str | None] = mapped_column(String(100))
    mask: Mapped[str | None] = mapped_column(String(8))
    bank_balance_minor: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Where the account is held, in the user's words ("Credit union"); the user's own, even
    # on a linked account (the bank names the account, not this).
    institution_label: Mapped[str | None] = mapped_column(String(MAX_NAME))
    # A closed account keeps its history; it leaves net worth from the day it closed
    # (`closed_on`, the user's calendar day) and takes no new manual transactions.
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)


class Reconciliation(Base):
    """An account matched against a bank statement: the statement's date and closing balance,
    and the account's cleared balance once the user had marked what the statement shows."""

    __tablename__ = "ledger_reconciliations"
    __table_args__ = (
        Index("ix_ledger_reconciliations_account_id_created_at", "account_id", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ledger_accounts.id", ondelete="CASCADE")
    )
    statement_date: Mapped[dt.date] = mapped_column(Date)
    statement_balance_minor: Mapped[int] = mapped_column(BigInteger)
    cleared_balance_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
