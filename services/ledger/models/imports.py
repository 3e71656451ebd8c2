"""Files being imported into an account: the import, its text's parts, its staged rows."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from services.ledger.models.base import MAX_DESCRIPTION, MAX_IMPORT_KEY, MAX_NAME, MAX_NOTES, Base
from shared.clock import UTCDateTime, utcnow


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
