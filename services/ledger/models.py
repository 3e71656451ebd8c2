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
    Text,
    UniqueConstraint,
    Uuid,
    false,
    text,
    true,
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
MAX_IMPORT_KEY = 64

# How a goal is funded: what counts as saved toward it.
GOAL_FUNDING_CONTRIBUTIONS = "contributions"
GOAL_FUNDING_ACCOUNT = "account"
GOAL_FUNDING_CATEGORY = "category"
GOAL_FUNDINGS = (GOAL_FUNDING_CONTRIBUTIONS, GOAL_FUNDING_ACCOUNT, GOAL_FUNDING_CATEGORY)

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


MAX_CATEGORY_NAME = 60  # category and category group names

# What a category's money means to reports and budgets. Expense categories are budgeted; money
# in income categories is what envelope budgeting has to assign; transfer categories move money
# between the user's own accounts, so cash flow and budgets leave them out.
CATEGORY_KINDS = ("expense", "income", "transfer")
CATEGORY_KIND_EXPENSE, CATEGORY_KIND_INCOME, CATEGORY_KIND_TRANSFER = CATEGORY_KINDS

# How the user budgets (see budgets/months.py): a limit per category and month, or envelopes.
BUDGET_STYLES = ("limits", "envelope")
BUDGET_STYLE_LIMITS, BUDGET_STYLE_ENVELOPE = BUDGET_STYLES


class CategoryGroup(Base):
    """A heading the user's categories sit under, in the user's order."""

    __tablename__ = "ledger_category_groups"
    __table_args__ = (UniqueConstraint("user_id", "name_key"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    name: Mapped[str] = mapped_column(String(MAX_CATEGORY_NAME))
    # The name as uniqueness compares it (case-folded): "Food" and "food" are one group.
    name_key: Mapped[str] = mapped_column(String(MAX_CATEGORY_NAME * 3))
    position: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Category(Base):
    __tablename__ = "ledger_categories"
    __table_args__ = (UniqueConstraint("user_id", "name_key"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    name: Mapped[str] = mapped_column(String(MAX_CATEGORY_NAME))
    # The name as uniqueness compares it (case-folded): "Dining" and "dining" are one category.
    name_key: Mapped[str] = mapped_column(String(MAX_CATEGORY_NAME * 3))
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ledger_category_groups.id"), index=True)
    # Its place within its group, from 0.
    position: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    # Left out of pickers; still on its transactions, budgets and in reports.
    hidden: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    kind: Mapped[str] = mapped_column(
        String(10), default=CATEGORY_KIND_EXPENSE, server_default=CATEGORY_KIND_EXPENSE
    )
    # Limits budgeting: whether a month's unspent (or overspent) amount carries into the next.
    rollover: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class CategoryPreset(Base):
    """Which of the user's categories stands for one of the default categories (named as the
    default was): bank hints for that default land there, however the user renamed, moved or
    merged it. Deleting the category forgets it, and those hints then categorize nothing."""

    __tablename__ = "ledger_category_presets"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    preset: Mapped[str] = mapped_column(String(MAX_CATEGORY_NAME), primary_key=True)
    category_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ledger_categories.id", ondelete="CASCADE"), index=True
    )


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
    # Set while the user has paused the goal.
    paused_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # What counts as saved (GOAL_FUNDINGS): contributions, an account's balance, or what was
    # budgeted in a category less what was spent in it since `funded_since`.
    funding: Mapped[str] = mapped_column(
        String(20), default=GOAL_FUNDING_CONTRIBUTIONS, server_default=GOAL_FUNDING_CONTRIBUTIONS
    )
    # Deleting a funding account is refused while a goal names it (accounts/service.py).
    account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("ledger_accounts.id"))
    category_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("ledger_categories.id", ondelete="SET NULL")
    )
    # The user's day the current funding started counting (null before ledger_0005: the day
    # the goal was created).
    funded_since: Mapped[dt.date | None] = mapped_column(Date)


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
    budget_style: Mapped[str] = mapped_column(
        String(10), default=BUDGET_STYLE_LIMITS, server_default=BUDGET_STYLE_LIMITS
    )
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


class Import(Base):
    """A file being imported into one of the user's accounts: its text arrives in parts, then a
    job reads it and adds its rows to the ledger in one transaction (see ledger.imports)."""

    __tablename__ = "ledger_imports"
    __table_args__ = (
        Index("ix_ledger_imports_user_id_created_at_id", "user_id", "created_at", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ledger_accounts.id"), index=True)
    format: Mapped[str] = mapped_column(String(10))
    file_name: Mapped[str | None] = mapped_column(String(MAX_NAME))
    status: Mapped[str] = mapped_column(String(20))
    parts: Mapped[int] = mapped_column(Integer, default=0)
    bytes_received: Mapped[int] = mapped_column(BigInteger, default=0)
    # The whole text's size as the client announced it: a run waits until all of it arrived.
    total_bytes: Mapped[int | None] = mapped_column(BigInteger)
    # The file's first lines (to help choose settings), kept until the import completes.
    head: Mapped[str | None] = mapped_column(Text)
    # How the file is read (JSON of ledger.imports.settings.ImportSettings), set by a run.
    settings: Mapped[str | None] = mapped_column(Text)
    # Who runs it now: each run of the job claims it; a superseded run stops.
    attempt_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    rows_total: Mapped[int | None] = mapped_column(Integer)
    rows_done: Mapped[int] = mapped_column(Integer, default=0)
    added: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    # The first errors (JSON list of {row, field, column, message}).
    errors: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class ImportPart(Base):
    """One part of an import's file text, as the client sent it (deleted once imported)."""

    __tablename__ = "ledger_import_parts"

    import_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ledger_imports.id", ondelete="CASCADE"), primary_key=True
    )
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)


class ImportRow(Base):
    """A row an import run will add, staged (with progress committed batch by batch) before one
    transaction copies the run's rows into ledger_transactions, so no half-import is ever seen."""

    __tablename__ = "ledger_import_rows"

    attempt_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    row_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The import it belongs to: deleting an import (or its user) deletes its staged rows.
    import_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ledger_imports.id", ondelete="CASCADE"), index=True
    )
    transaction_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    date: Mapped[dt.date] = mapped_column(Date)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    description: Mapped[str] = mapped_column(String(MAX_DESCRIPTION))
    notes: Mapped[str | None] = mapped_column(String(MAX_NOTES))
    import_key: Mapped[str] = mapped_column(String(MAX_IMPORT_KEY))
    # The payee the description names (no foreign key: a payee merged away meanwhile is
    # replaced by the publish step's lookup of nothing, and the row goes without).
    payee_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)


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


# --- transaction rules -------------------------------------------------------------------------

# A rule's choice of category or payee: a re-sync or a later rule run may replace it; a user's
# choice replaces it for good (and no rule replaces the user's).
CATEGORY_SOURCE_RULE = "rule"
PAYEE_SOURCE_RULE = "rule"
# Who put a transaction's tags on it: null (nobody, or the bank's restore), a rule, or the user
# (who chose the whole set, or took some off): rules add tags only until the user edits them.
TAGS_SOURCE_RULE = "rule"
TAGS_SOURCE_USER = "user"
TAGS_SOURCES = (TAGS_SOURCE_RULE, TAGS_SOURCE_USER)

MAX_RULE_NAME = 100


class Rule(Base):
    """Conditions on a transaction (its description, payee, amount, account) and what to do
    to those it matches (set a category or payee, add tags, mark it a transfer), applied to
    new bank transactions in the user's order, and to history on demand (see ledger.rules)."""

    __tablename__ = "ledger_rules"
    __table_args__ = (
        # The user's rules in order (keyset pagination by position, then id).
        Index("ix_ledger_rules_user_id_position_id", "user_id", "position", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    name: Mapped[str] = mapped_column(String(MAX_RULE_NAME))
    # Its place among the user's rules, from 0: the first matching rule sets each field.
    position: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # The conditions, every one given must hold (ledger.rules.conditions reads and writes it).
    conditions: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The actions (tags in ledger_rule_tags). A deleted category or payee leaves the rule
    # without that action.
    set_category_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("ledger_categories.id", ondelete="SET NULL"), index=True
    )
    set_payee_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("ledger_payees.id", ondelete="SET NULL"), index=True
    )
    mark_as_transfer: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # How many times it changed a transaction (as one arrived from the bank, or applied to
    # history), and when it last did.
    applied_count: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    last_applied_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class RuleTag(Base):
    """A tag a rule puts on the transactions it matches."""

    __tablename__ = "ledger_rule_tags"

    rule_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ledger_rules.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ledger_tags.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ReportTotal(Base):
    """Sums of one user's transactions over one calendar month, per account, category, payee,
    whether a transfer half, whether money in, and currency pair: what reports add up instead
    of the month's rows (reports/totals_upkeep.py keeps them equal to the transactions).

    Rows are partial sums: a (user, month) slice may hold several rows of one key (a payee
    merge renames keys in place), and every reader groups. A split transaction counts by its
    parts, one row per part's category (its foreign parts at their shares of its figure).
    """

    __tablename__ = "ledger_report_totals"
    __table_args__ = (Index("ix_ledger_report_totals_user_id_month", "user_id", "month"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    # The month's first day.
    month: Mapped[dt.date] = mapped_column(Date)
    account_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    # No foreign keys: a deleted category or payee leaves its ids here only until the month
    # is summed again, which the deletion's announcement (or its own step) asks for.
    category_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    payee_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # Half of a transfer between the user's own accounts: counted in balances only.
    transfer: Mapped[bool] = mapped_column(Boolean)
    money_in: Mapped[bool] = mapped_column(Boolean)
    currency: Mapped[str] = mapped_column(String(3))
    converted_currency: Mapped[str | None] = mapped_column(String(3))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    converted_minor: Mapped[int] = mapped_column(BigInteger)
    transaction_count: Mapped[int] = mapped_column(Integer)
    first_date: Mapped[dt.date] = mapped_column(Date)
    last_date: Mapped[dt.date] = mapped_column(Date)


class ReportCategoryTotal(Base):
    """The report totals summed over accounts and payees: per user, month, category, whether a
    transfer half, whether money in, and currency pair. Derived from `ledger_report_totals`
    month by month whenever a month of those changes (reports/totals_upkeep.py), so that a
    report by category reads one row per category a month (a twentieth of the rows, and no
    grouping of thousands) instead of one per account, category and payee.

    Exactly one row per key (the upkeep replaces a month's rows whole)."""

    __tablename__ = "ledger_report_category_totals"
    __table_args__ = (Index("ix_ledger_report_category_totals_user_id_month", "user_id", "month"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    month: Mapped[dt.date] = mapped_column(Date)
    category_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    transfer: Mapped[bool] = mapped_column(Boolean)
    money_in: Mapped[bool] = mapped_column(Boolean)
    currency: Mapped[str] = mapped_column(String(3))
    converted_currency: Mapped[str | None] = mapped_column(String(3))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    converted_minor: Mapped[int] = mapped_column(BigInteger)
    transaction_count: Mapped[int] = mapped_column(Integer)
    first_date: Mapped[dt.date] = mapped_column(Date)
    last_date: Mapped[dt.date] = mapped_column(Date)


class ReportTotalsBuilt(Base):
    """A user whose report totals were built from their whole history (at sign-up, or by
    `tally rebuild-reports` for users older than the totals): only then do reports read them,
    and only then do writes keep them."""

    __tablename__ = "ledger_report_totals_built"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    built_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
