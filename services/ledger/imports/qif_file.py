"""QIF files, parsed by quiffen. Quiffen reads dates by guessing (dateutil) and amounts by
deleting every character that is not a digit, point or minus ("1.234,56" would become
1.23456, "1e5" 15), so before it sees the file every record's date (D) and amount (T/U) is read
strictly in the stated format and written back canonically (ISO date, plain decimal): what
quiffen then parses is exact. Splits are not kept (the total is), nor investment sections.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import InvalidOperation

import quiffen
from quiffen.core.qif import ParserException

from services.ledger.imports.fields import (
    Account,
    FieldError,
    FileRows,
    ParsedRow,
    RowError,
    clean_text,
    parse_amount,
    parse_date,
)
from services.ledger.imports.settings import DateFormat, ImportSettings
from services.ledger.models import MAX_DESCRIPTION, MAX_NOTES

# The sections that hold a cash account's transactions (lower case, spaces removed).
_TRANSACTION_SECTIONS = {"!type:bank", "!type:cash", "!type:ccard", "!type:otha", "!type:othl"}
_SPLIT_CODES = "SE$%"
_QUIFFEN_ERRORS = (
    ParserException, ValueError, TypeError, KeyError, IndexError, AttributeError, InvalidOperation,
)  # fmt: skip


@dataclass
class _Record:
    """One transaction record: its number among the file's transactions, first line, what was
    read strictly, and the lines quiffen will parse."""

    number: int
    line: int
    date: dt.date | None = None
    amount: int | None = None
    lines: list[str] = field(default_factory=list)
    failed: bool = False


def read_qif(text: str, settings: ImportSettings, account: Account) -> FileRows:
    date_format = settings.date_format
    assert date_format is not None  # checked by check_settings
    found = FileRows()
    records = _records(text, date_format, settings, account, found)
    if records is None:
        return found
    complete = [record for record in records if not record.failed]
    if not complete:
        return found
    canonical = "!Type:Bank\n" + "".join("\n".join(r.lines) + "\n^\n" for r in complete)
    try:
        parsed = quiffen.Qif.parse_string(canonical, day_first=False)
        transactions = [
            transaction
            for qif_account in parsed.accounts.values()
            for listed in qif_account.transactions.values()
            for transaction in listed
        ]
    except _QUIFFEN_ERRORS as error:
        found.error(RowError(None, "file", f"quiffen cannot read it: {str(error)[:200]}"))
        return found
    if len(transactions) != len(complete):
        found.error(RowError(None, "file", "quiffen read a different number of transactions"))
        return found
    for record, transaction in zip(complete, transactions, strict=True):
        assert record.date is not None and record.amount is not None
        memo = clean_text(transaction.memo, MAX_NOTES, multiline=True) or None
        payee = clean_text(transaction.payee, MAX_DESCRIPTION)
        description = payee or (memo or "")[:MAX_DESCRIPTION] or "Imported transaction"
        found.rows.append(ParsedRow(record.number, record.date, record.amount, description, memo))
    return found


def _records(
    text: str,
    date_format: DateFormat,
    settings: ImportSettings,
    account: Account,
    found: FileRows,
) -> list[_Record] | None:
    """The transaction records, each date and amount read strictly (None: not a usable file)."""
    records: list[_Record] = []
    section = ""
    account_names: set[str] = set()
    current: _Record | None = None
    in_split = False
    for index, raw in enumerate(text.splitlines()):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("!"):
            header = line.lower().replace(" ", "")
            if not header.startswith(("!option:", "!clear:")):
                section = header
            if section == "!type:invst":
                found.error(RowError(None, "file", "investment transactions are not supported"))
                return None
            continue
        if section == "!account":
            if line.startswith("N"):
                account_names.add(line[1:].strip())
            continue
        if section not in _TRANSACTION_SECTIONS:
            continue
        if line.startswith("^"):
            if current is not None:
                _finish(current, found)
                records.append(current)
            current, in_split = None, False
            continue
        if current is None:
            current = _Record(number=len(records) + 1, line=index + 1)
        code, value = line[0], line[1:]
        if code in _SPLIT_CODES:
            in_split = True
            continue
        if in_split:
            continue
        if code == "D" and current.date is None:
            try:
                # QIF writes 2000s years after an apostrophe, and pads with spaces.
                shown = value.strip().replace("'", "/").replace(" ", "0")
                current.date = parse_date(shown, date_format, any_year_width=True)
            except FieldError as error:
                _fail(current, found, "D", index + 1, str(error))
                continue
            current.lines.append(f"D{current.date.isoformat()}")
        elif code in "TU":
            if current.amount is None and not current.failed:
                try:
                    current.amount = parse_amount(
                        value, settings.decimal_separator, account.exponent, account.currency
                    )
                except FieldError as error:
                    _fail(current, found, "T", index + 1, str(error))
                    continue
                exponent = account.exponent
                sign = "-" if current.amount < 0 else ""
                whole, fraction = divmod(abs(current.amount), 10**exponent)
                shown = f"{sign}{whole}.{fraction:0{exponent}d}" if exponent else f"{sign}{whole}"
                current.lines.append(f"T{shown}")
        elif code in "PMLNCA":
            current.lines.append(line)
    if current is not None:
        _finish(current, found)
        records.append(current)
    if len(account_names) > 1:
        found.error(
            RowError(
                None,
                "file",
                f"holds {len(account_names)} accounts' transactions; export one account per file",
            )
        )
        return None
    return records


def _fail(record: _Record, found: FileRows, field: str, line: int, message: str) -> None:
    found.error(RowError(record.number, field, f"line {line}: {message}"))
    record.failed = True


def _finish(record: _Record, found: FileRows) -> None:
    if record.failed:
        return
    if record.date is None:
        _fail(record, found, "D", record.line, "the transaction has no date (D line)")
    elif record.amount is None:
        _fail(record, found, "T", record.line, "the transaction has no amount (T line)")
