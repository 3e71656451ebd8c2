"""Transactions, their split parts and tags, who chose what on them, and the user's edits
of pending bank transactions the bank removed.
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
from sqlalchemy.orm import Mapped, mapped_column

from services.ledger.models.base import (
    MAX_DESCRIPTION,
    MAX_IMPORT_KEY,
    MAX_NOTES,
    Base,
    ExactDecimal,
)
from shared.clock import UTCDateTime, utcnow

# Who chose a transaction's category: the bank's hint may be replaced on re-ingest, the
# user's choice (including "no category") never is.
CATEGORY_SOURCE_BANK = "bank"
CATEGORY_SOURCE_USER = "user"
# Who chose a transaction's payee: one derived from the description follows the description
# (and merges); the user's choice (including "no payee") is never overwritten.
PAYEE_SOURCE_DERIVED = "derived"
PAYEE_SOURCE_USER = "user"
# A rule's choice of category or payee: a re-sync or a later rule run may replace it; a user's
# choice replaces it for good (and no rule replaces the user's).
CATEGORY_SOURCE_RULE = "rule"
PAYEE_SOURCE_RULE = "rule"
# Who put a transaction's tags on it: null (nobody, or the bank's restore), a rule, or the user
# (who chose the whole set, or took some off): rules add tags only until the user edits them.
TAGS_SOURCE_RULE = "rule"
TAGS_SOURCE_USER = "user"
TAGS_SOURCES = (TAGS_SOURCE_RULE, TAGS_SOURCE_USER)


class Transaction(Base):
    """Money in (positive) or out of one of the user's accounts on a day. Its description and
    notes are also in the text search index (revision ledger_0011, transactions/search.py):
    on SQLite an FTS5 table that triggers on this table keep equal to it, naming rows by the
    table's implicit rowid, so a migration that recreates this table must create those
    triggers again and rebuild the index."""

    __tablename__ = "ledger_transactions"
    __table_args__ = (
        UniqueConstraint("item_ref", "provider_transaction_id"),
        # Keyset pagination: a user's transactions, newest first.
        Index("ix_ledger_transactions_user_id_date_id", "user_id", "date", "id"),
        # A file's row lands in an account once (OFX FITID, or a CSV/QIF row's fingerprint).
        # NULL for everything not imported: NULLs never clash.
        Index(
            "uq_ledger_transactions_account_id_import_key",
            "account_id",
            "import_key",
            unique=True,
        ),
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
    # Set on rows a file import added: which import, and the row's identity in the account.
    import_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    import_key: Mapped[str | None] = mapped_column(String(MAX_IMPORT_KEY))
    payee_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("ledger_payees.id", ondelete="SET NULL"), index=True
    )
    payee_source: Mapped[str | None] = mapped_column(String(10))
    # Who put its tags on (TAGS_SOURCES): rules add tags until the user edits them.
    tags_source: Mapped[str | None] = mapped_column(String(10))
    # Whether the user has looked at it: new bank rows are not, rows recorded by hand are.
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The other half of a transfer between the user's own accounts (each half names the
    # other). Transfers count in balances, never in spending, income or budgets.
    transfer_counterpart_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("ledger_transactions.id", ondelete="SET NULL"), unique=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Matched against a statement by the user (reconciliation). A server default, so rows
    # inserted in bulk (bank ingest, imports) start uncleared without naming the column.
    cleared: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    cleared_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class TransactionSplit(Base):
    """One part of a split transaction, in the transaction's currency. A transaction's parts
    add up exactly to its amount, and each counts in budgets and reports by its own category
    (the transaction's own category does not count while it is split)."""

    __tablename__ = "ledger_transaction_splits"
    __table_args__ = (UniqueConstraint("transaction_id", "position"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
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


class TransactionTag(Base):
    __tablename__ = "ledger_transaction_tags"

    transaction_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ledger_transactions.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ledger_tags.id", ondelete="CASCADE"), primary_key=True, index=True
    )


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
    tags_source: Mapped[str | None] = mapped_column(String(10))
    reviewed: Mapped[bool | None] = mapped_column(Boolean)
    transfer_counterpart_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # ["<tag uuid hex>", ...] and [{"amount_minor": int, "category_id": hex | null,
    # "notes": str | null}, ...] in the parts' order.
    tag_ids: Mapped[list[str] | None] = mapped_column(JSON)
    split_parts: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    removed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
