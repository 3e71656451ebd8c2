"""CSV files, read by the standard library's csv module and mapped column by column."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from services.ledger.imports.fields import (
    Account,
    FieldError,
    FileRows,
    ParsedRow,
    RowError,
    SettingsError,
    clean_text,
    parse_amount,
    parse_date,
)
from services.ledger.imports.settings import CsvColumns, DateFormat, ImportSettings
from services.ledger.models import MAX_DESCRIPTION, MAX_NOTES

NO_DESCRIPTION = "Imported transaction"


def read_csv(text: str, settings: ImportSettings, account: Account) -> FileRows:
    columns = settings.csv
    date_format = settings.date_format
    assert columns is not None and date_format is not None  # checked by check_settings
    found = FileRows()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=columns.delimiter.value)
    width_checked = False
    number = 0
    try:
        for number, record in enumerate(reader, start=1):
            if number <= columns.header_rows:
                found.columns = [clean_text(cell, 100) for cell in record]
                continue
            if not any(cell.strip() for cell in record):
                continue
            if not width_checked:
                _check_width(columns, max(len(record), len(found.columns)))
                width_checked = True
            row = _Record(number, record, columns, settings, date_format, account, found).read()
            if row is not None:
                found.rows.append(row)
    except csv.Error as error:
        found.error(RowError(number + 1, "file", f"cannot be read as CSV: {error}"))
    return found


def _check_width(columns: CsvColumns, width: int) -> None:
    for name, column in columns.used().items():
        if column > width:
            raise SettingsError(
                f"csv.{name}", f"is column {column}, but the file has {width} columns"
            )


@dataclass
class _Record:
    """One CSV record being mapped; its errors go to `found`."""

    number: int
    cells: list[str]
    columns: CsvColumns
    settings: ImportSettings
    date_format: DateFormat
    account: Account
    found: FileRows
    failed: bool = False

    def read(self) -> ParsedRow | None:
        day = self._date()
        amount = self._amount()
        description = clean_text(
            self._cell(self.columns.description, "description"), MAX_DESCRIPTION
        )
        notes = (
            clean_text(self._cell(self.columns.notes, "notes"), MAX_NOTES, multiline=True) or None
        )
        if self.failed or day is None or amount is None:
            return None
        return ParsedRow(self.number, day, amount, description or notes or NO_DESCRIPTION, notes)

    def _fail(self, field: str, message: str, column: int | None) -> None:
        self.found.error(RowError(self.number, field, message, column))
        self.failed = True

    def _cell(self, column: int | None, field: str) -> str | None:
        if column is None:
            return None
        if column > len(self.cells):
            self._fail(field, f"the row has {len(self.cells)} columns, not {column}", column)
            return None
        return self.cells[column - 1]

    def _date(self) -> dt.date | None:
        text = self._cell(self.columns.date, "date")
        if text is None:
            return None
        try:
            return parse_date(text, self.date_format)
        except FieldError as error:
            self._fail("date", str(error), self.columns.date)
            return None

    def _money(self, column: int | None, field: str, *, blank_is_zero: bool) -> int | None:
        text = self._cell(column, field)
        if text is None:
            return None
        if blank_is_zero and not text.strip():
            return 0
        try:
            return parse_amount(
                text, self.settings.decimal_separator, self.account.exponent, self.account.currency
            )
        except FieldError as error:
            self._fail(field, str(error), column)
            return None

    def _amount(self) -> int | None:
        if self.columns.amount is not None:
            return self._money(self.columns.amount, "amount", blank_is_zero=False)
        money_in = self._money(self.columns.money_in, "moneyIn", blank_is_zero=True)
        money_out = self._money(self.columns.money_out, "moneyOut", blank_is_zero=True)
        if money_in is None or money_out is None:
            return None
        blank = not any(
            self.cells[column - 1].strip()
            for column in (self.columns.money_in, self.columns.money_out)
            if column is not None
        )
        if blank:
            self._fail("amount", "moneyIn and moneyOut are both empty", self.columns.money_in)
            return None
        # Money in and money out are magnitudes, whatever sign a bank writes them with.
        return abs(money_in) - abs(money_out)
