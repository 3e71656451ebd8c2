"""The monthly report totals, and which users' totals were built."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, Boolean, Date, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from services.ledger.models.base import Base
from shared.clock import UTCDateTime, utcnow


class _Sums:
    """What a row of the totals holds of its transactions: their own amounts, their converted
    figures, how many, and their first and last dates (the last columns of both tables)."""

    amount_minor: Mapped[int] = mapped_column(BigInteger)
    converted_minor: Mapped[int] = mapped_column(BigInteger)
    transaction_count: Mapped[int] = mapped_column(Integer)
    first_date: Mapped[dt.date] = mapped_column(Date)
    last_date: Mapped[dt.date] = mapped_column(Date)


class ReportTotal(Base, _Sums):
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


class ReportCategoryTotal(Base, _Sums):
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


class ReportTotalsBuilt(Base):
    """A user whose report totals were built from their whole history (at sign-up, or by
    `tally rebuild-reports` for users older than the totals): only then do reports read them,
    and only then do writes keep them."""

    __tablename__ = "ledger_report_totals_built"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    built_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
