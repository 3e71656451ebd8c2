"""SQLAlchemy tables of the ledger service. No other service imports this module.

Money is stored as integer minor units next to its ISO 4217 currency. Relationships are not
declared at all: every load is an explicit query in an aggregate's repository module.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    Uuid,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from shared.clock import UTCDateTime, utcnow
from shared.db import service_metadata

metadata = service_metadata()

ACCOUNT_TYPES = ("checking", "savings", "credit", "loan", "investment", "cash")

# The longest texts the columns hold; the aggregates refuse (or clip bank data) beyond them.
MAX_NAME = 100  # account and goal names
MAX_DESCRIPTION = 500
MAX_NOTES = 2000

# Who chose a transaction's category: the bank's hint may be replaced on re-ingest, the
# user's choice (including "no category") never is.
CATEGORY_SOURCE_BANK = "bank"
CATEGORY_SOURCE_USER = "user"
# Who chose a transaction's payee: one derived from the description follows the description
# (and merges); the user's choice (including "no payee") is never overwritten.
PAYEE_SOURCE_DERIVED = "derived"
PAYEE_SOURCE_USER = "user"

MAX_PAYEE_NAME = 100
MAX_PAYEE_KEY = 100
MAX_TAG_NAME = 50


class Base(DeclarativeBase):
    metadata = metadata


class ExactDecimal(TypeDecorator[Decimal]):
    """A Decimal kept as its plain text ("1.0825"): exact on every database. (NUMERIC on
    SQLite has float affinity, so an exchange rate could come back rounded.)"""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if not isinstance(value, Decimal) or not value.is_finite():
            raise ValueError(f"expected a finite Decimal, got {value!r}")
        return format(value, "f")

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)


class Category(Base):
    __tablename__ = "ledger_categories"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    name: Mapped[str] = mapped_column(String(60))
    group: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


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


class Transaction(Base):
    __tablename__ = "ledger_transactions"
    __table_args__ = (
        UniqueConstraint("item_ref", "provider_transaction_id"),
        # Keyset pagination: a user's transactions, newest first.
        Index("ix_ledger_transactions_user_id_date_id", "user_id", "date", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ledger_accounts.id"), index=True)
    category_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("ledger_categories.id", ondelete="SET NULL"), index=True
    )
    category_source: Mapped[str | None] = mapped_column(String(10))
    date: Mapped[dt.date] = mapped_column(Date)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    description: Mapped[str] = mapped_column(String(MAX_DESCRIPTION))
    notes: Mapped[str | None] = mapped_column(String(MAX_NOTES))
    pending: Mapped[bool] = mapped_column(Boolean, default=False)
    item_ref: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    provider_transaction_id: Mapped[str | None] = mapped_column(String(100))
    # A transaction not in the user's base currency, converted into it: the figure, and the
    # rate (with that rate's date) it was converted at, fixed when converted so that adding a
    # rate later never changes it. All None while no rate on or before its date exists, and
    # for a transaction in the base currency (which counts at its own amount).
    converted_minor: Mapped[int | None] = mapped_column(BigInteger)
    converted_currency: Mapped[str | None] = mapped_column(String(3))
    conversion_rate: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    conversion_rate_date: Mapped[dt.date | None] = mapped_column(Date)
    payee_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("ledger_payees.id", ondelete="SET NULL"), index=True
    )
    payee_source: Mapped[str | None] = mapped_column(String(10))
    # Whether the user has looked at it: new bank rows are not, rows recorded by hand are.
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The other half of a transfer between the user's own accounts (each half names the
    # other). Transfers count in balances, never in spending, income or budgets.
    transfer_counterpart_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("ledger_transactions.id", ondelete="SET NULL"), unique=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class PendingTombstone(Base):
    """What the user had put on a pending bank transaction that the bank removed.

    Plaid may report a pending transaction's removal before its posted version arrives (in
    an earlier sync page or run). Remembering the ledger id and the user's edits lets the
    posted transaction pick them up; rows older than a retention window are pruned.
    """

    __tablename__ = "ledger_pending_tombstones"
    __table_args__ = (UniqueConstraint("item_ref", "provider_transaction_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    item_ref: Mapped[uuid.UUID] = mapped_column(Uuid)
    provider_transaction_id: Mapped[str] = mapped_column(String(100))
    transaction_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    category_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("ledger_categories.id", ondelete="SET NULL")
    )
    category_source: Mapped[str | None] = mapped_column(String(10))
    notes: Mapped[str | None] = mapped_column(String(MAX_NOTES))
    # The rest of the user's edits (no foreign keys: what they name may be gone by the time
    # the posted transaction arrives, and is then left out).
    payee_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    payee_source: Mapped[str | None] = mapped_column(String(10))
    reviewed: Mapped[bool | None] = mapped_column(Boolean)
    transfer_counterpart_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # ["<tag uuid hex>", ...] and [{"amount_minor": int, "category_id": hex | null,
    # "notes": str | null}, ...] in the parts' order.
    tag_ids: Mapped[list[str] | None] = mapped_column(JSON)
    split_parts: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    removed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


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


class Goal(Base):
    __tablename__ = "ledger_goals"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME))
    target_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    target_date: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class GoalContribution(Base):
    __tablename__ = "ledger_goal_contributions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    goal_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ledger_goals.id", ondelete="CASCADE"), index=True
    )
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    contributed_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class LedgerSettings(Base):
    """The ledger's own settings of a user (the ledger never reads the gateway's users)."""

    __tablename__ = "ledger_user_settings"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    # What budgets and reports count in; other currencies are converted into it.
    base_currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


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


class Payee(Base):
    """Whom money went to or came from (a merchant, an employer), named by the user or after
    the first description that mentioned it."""

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


class Tag(Base):
    __tablename__ = "ledger_tags"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    name: Mapped[str] = mapped_column(String(MAX_TAG_NAME))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class TransactionTag(Base):
    __tablename__ = "ledger_transaction_tags"

    transaction_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ledger_transactions.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ledger_tags.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class TransactionSplit(Base):
    """One part of a split transaction, in the transaction's currency. A transaction's parts
    add up exactly to its amount, and each counts in budgets and reports by its own category
    (the transaction's own category does not count while it is split)."""

    __tablename__ = "ledger_transaction_splits"
    __table_args__ = (UniqueConstraint("transaction_id", "position"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    transaction_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ledger_transactions.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(Integer)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    category_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("ledger_categories.id", ondelete="SET NULL"), index=True
    )
    notes: Mapped[str | None] = mapped_column(String(MAX_NOTES))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
