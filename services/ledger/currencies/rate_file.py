"""Exchange rates from CSV text: one rate a row, `date,currency,rate` ("2026-03-01,EUR,1.0825"),
with an optional header row naming those columns (in any order).

Every row is checked before anything is stored; the error names the row (counted as a
spreadsheet shows it: the header is row 1, blank rows count) and the column.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from services.ledger.currencies.conversion import parse_rate
from services.ledger.periods import check_date
from shared.errors import BadUserInput
from shared.money import parse_currency
from shared.validation import check_unicode

COLUMNS = ("date", "currency", "rate")
MAX_ROWS = 10_000
# Enough to see the pattern of a broken file without drowning in it.
MAX_PROBLEMS_LISTED = 10
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


@dataclass(frozen=True)
class RateLine:
    row: int
    date: dt.date
    currency: str
    rate: Decimal


@dataclass(frozen=True)
class Problem:
    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


class RateFileError(BadUserInput):
    """The file has rows that cannot be stored: BAD_USER_INPUT on the field holding the text,
    with every problem (row, column, message) in `extensions.problems`; `row` and `column`
    name the first."""

    def __init__(self, field: str, problems: list[Problem]) -> None:
        listed = problems[:MAX_PROBLEMS_LISTED]
        more = len(problems) - len(listed)
        message = "; ".join(str(problem) for problem in listed)
        if more:
            message += f" (and {more} more)"
        super().__init__(field, message)
        first = problems[0]
        self.extensions.update(
            row=first.row,
            column=first.column,
            problems=[{"row": p.row, "column": p.column, "message": p.message} for p in listed],
        )


def read_rate_file(text: str, base_currency: str, field: str) -> list[RateLine]:
    """The rates of a CSV text (into `base_currency`, which no row may name), or
    RateFileError / BAD_USER_INPUT on `field`."""
    text = check_unicode(text, field).removeprefix("\ufeff")  # spreadsheets add a BOM
    reader = csv.reader(text.splitlines())
    problems: list[Problem] = []
    lines: list[RateLine] = []
    seen: dict[tuple[str, dt.date], int] = {}
    order: tuple[str, ...] = COLUMNS
    try:
        for row_number, cells in enumerate(reader, start=1):
            if not any(cell.strip() for cell in cells):
                continue
            if row_number > MAX_ROWS:
                raise BadUserInput(field, f"has more than {MAX_ROWS} rows")
            if not lines and not problems and _is_header(cells):
                order = _header_order(cells, row_number, field)
                continue
            line = _read_row(row_number, cells, order, base_currency, problems)
            if line is None:
                continue
            key = (line.currency, line.date)
            if key in seen:
                problems.append(
                    Problem(
                        row_number,
                        "date",
                        f"repeats the {line.currency} rate of {line.date} (row {seen[key]})",
                    )
                )
                continue
            seen[key] = row_number
            lines.append(line)
    except csv.Error as error:
        problems.append(Problem(reader.line_num, None, f"is not valid CSV ({error})"))
    if problems:
        raise RateFileError(field, problems)
    if not lines:
        raise BadUserInput(field, "has no rates (one a row: date,currency,rate)")
    return lines


def _is_header(cells: list[str]) -> bool:
    return any(cell.strip().lower() in COLUMNS for cell in cells)


def _header_order(cells: list[str], row_number: int, field: str) -> tuple[str, ...]:
    names = tuple(cell.strip().lower() for cell in cells)
    if sorted(names) != sorted(COLUMNS):
        message = f"the header must name the columns {', '.join(COLUMNS)}, each once"
        raise RateFileError(field, [Problem(row_number, None, message)])
    return names


def _read_row(
    row_number: int,
    cells: list[str],
    order: tuple[str, ...],
    base_currency: str,
    problems: list[Problem],
) -> RateLine | None:
    if len(cells) != len(order):
        problems.append(
            Problem(
                row_number,
                None,
                f"has {len(cells)} columns; expected {len(order)} ({', '.join(order)})",
            )
        )
        return None
    values = dict(zip(order, (cell.strip() for cell in cells), strict=True))
    found: dict[str, Any] = {}
    for column, read in (("date", _date), ("currency", _currency), ("rate", _rate)):
        try:
            found[column] = read(values[column], column)
        except BadUserInput as error:
            problems.append(Problem(row_number, column, error.message.removeprefix(f"{column}: ")))
    if len(found) < len(COLUMNS):
        return None
    if found["currency"] == base_currency:
        problems.append(
            Problem(
                row_number,
                "currency",
                f"is the base currency ({base_currency}): its rate is always 1",
            )
        )
        return None
    return RateLine(row_number, found["date"], found["currency"], found["rate"])


def _date(text: str, column: str) -> dt.date:
    # The pattern first: fromisoformat also takes "20260301" and week dates ("2026-W10-1").
    if not _DATE.match(text):
        raise BadUserInput(column, 'must be a date such as "2026-03-01"')
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise BadUserInput(column, "is not a date of the calendar") from None
    return check_date(day, column)


def _currency(text: str, column: str) -> str:
    return parse_currency(text, column)


def _rate(text: str, column: str) -> Decimal:
    return parse_rate(text, column)
