"""The user's transactions as a CSV file (RFC 4180: a header row, fields quoted when they hold a
comma, quote or line break, CRLF line ends). Amounts are exact decimal strings in the
transaction's currency. A text cell that a spreadsheet would run as a formula (it starts with
=, +, -, @, a tab or a carriage return) is prefixed with a single quote; the importer reads
such a cell back without it, so an export re-imports as it was.
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.imports import repository
from services.ledger.transactions import service as transaction_service
from shared.errors import BadUserInput
from shared.money import Money

MAX_EXPORT_ROWS = 100_000
HEADER = ("Date", "Description", "Amount", "Currency", "Account", "Category", "Notes", "Pending")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class TransactionsCsv:
    text: str
    row_count: int


def spreadsheet_safe(text: str | None) -> str:
    if not text:
        return ""
    return "'" + text if text.startswith(_FORMULA_START) else text


async def export_transactions_csv(
    session: AsyncSession, user_id: uuid.UUID, given: transaction_service.TransactionFilter
) -> TransactionsCsv:
    """The transactions matching the filter, oldest first (at most MAX_EXPORT_ROWS)."""
    query = await transaction_service.transaction_query(session, user_id, given)
    rows = await repository.export_rows(session, query.conditions(), MAX_EXPORT_ROWS + 1)
    if len(rows) > MAX_EXPORT_ROWS:
        raise BadUserInput(
            "filter",
            f"matches more than {MAX_EXPORT_ROWS} transactions; narrow it with from and to",
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow(
            (
                row.date.isoformat(),
                spreadsheet_safe(row.description),
                format(Money(row.amount_minor, row.currency).amount, "f"),
                row.currency,
                spreadsheet_safe(row.account),
                spreadsheet_safe(row.category),
                spreadsheet_safe(row.notes),
                "true" if row.pending else "false",
            )
        )
    return TransactionsCsv(buffer.getvalue(), len(rows))
