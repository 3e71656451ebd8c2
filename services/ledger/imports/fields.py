"""One value of a file's row, read strictly: a date in the stated format, an exact amount in the
account's currency, a text made safe to store. A value that cannot be read is a RowError naming
the row, the field and (in a CSV) the column; nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from services.ledger.imports.settings import DateFormat, DecimalSeparator
from services.ledger.periods import EARLIEST_DATE, LATEST_DATE
from shared.money import MAX_INTEGER_DIGITS, currency_exponent

# Imported text is a bank's, not typed here: it is cleaned (never refused) and clipped.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_SPACES = "\u00a0\u2007\u202f"
_CURRENCY_SIGNS = "$€£¥₹₩₺₽"
# Quoting that a spreadsheet export puts before a formula-like cell (and that our own export
# adds): read back as the text it protects.
_FORMULA_START = ("'=", "'+", "'-", "'@", "'\t", "'\r")


class FieldError(ValueError):
    """A value that cannot be read; the message says why, for the user."""


@dataclass(frozen=True)
class RowError:
    """What is wrong with a file: a row's field (row numbers count the file's records from 1,
    a CSV's header rows included), or the whole file (row None)."""

    row: int | None
    field: str
    message: str
    column: int | None = None


@dataclass(frozen=True)
class ParsedRow:
    """A row as it would be stored (amount in minor units of the account's currency)."""

    row: int
    date: dt.date
    amount_minor: int
    description: str
    notes: str | None = None
    reference: str | None = None  # OFX's FITID


# A file's errors are all counted; the first ones are kept to be shown.
MAX_ERRORS_SHOWN = 100


class SettingsError(ValueError):
    """The settings cannot read this file (a column the file does not have...): `field` names
    the setting, relative to the settings input (e.g. "csv.amountColumn")."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class FileRows:
    """What a file holds: its rows in file order, and its errors (the first ones kept)."""

    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    # CSV: the cells of the last header row (what each column holds), to help map them.
    columns: list[str] = field(default_factory=list)

    def error(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_SHOWN:
            self.errors.append(error)


@dataclass(frozen=True)
class Account:
    """What reading needs of the account the file goes into."""

    currency: str

    @property
    def exponent(self) -> int:
        return currency_exponent(self.currency)


_DATE_PARTS = re.compile(r"([0-9]{1,4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,4})(?:[ T].*)?\Z")
_COMPACT = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})(?:[ T].*)?\Z")
_EXAMPLES = {
    DateFormat.YYYY_MM_DD: "2026-03-31",
    DateFormat.DD_MM_YYYY: "31/03/2026",
    DateFormat.MM_DD_YYYY: "03/31/2026",
    DateFormat.DD_MM_YY: "31/03/26",
    DateFormat.MM_DD_YY: "03/31/26",
    DateFormat.YYYYMMDD: "20260331",
}
# Two-digit years: 00-69 are this century, 70-99 the last.
_PIVOT = 70


def parse_date(text: str, date_format: DateFormat, *, any_year_width: bool = False) -> dt.date:
    """`any_year_width`: a two- or four-digit year, whatever the format says (QIF files mix
    them)."""
    value = text.strip()
    example = _EXAMPLES[date_format]
    if date_format is DateFormat.YYYYMMDD:
        match = _COMPACT.match(value)
        parts = match.groups() if match else None
        order = (0, 1, 2)
    else:
        match = _DATE_PARTS.match(value)
        parts = match.groups() if match else None
        order = {
            DateFormat.YYYY_MM_DD: (0, 1, 2),
            DateFormat.DD_MM_YYYY: (2, 1, 0),
            DateFormat.MM_DD_YYYY: (2, 0, 1),
            DateFormat.DD_MM_YY: (2, 1, 0),
            DateFormat.MM_DD_YY: (2, 0, 1),
        }[date_format]
    if parts is None:
        raise FieldError(f"{_shown(value)} is not a date like {example}")
    year_text, month_text, day_text = (parts[index] for index in order)
    two_digit = date_format in (DateFormat.DD_MM_YY, DateFormat.MM_DD_YY)
    if any_year_width and len(year_text) in (2, 4):
        two_digit = len(year_text) == 2
    if len(year_text) != (2 if two_digit else 4):
        raise FieldError(f"{_shown(value)} is not a date like {example}")
    year = int(year_text)
    if two_digit:
        year += 2000 if year < _PIVOT else 1900
    try:
        day = dt.date(year, int(month_text), int(day_text))
    except ValueError:
        raise FieldError(f"{_shown(value)} is not a real date (read as {example})") from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise FieldError(f"{day} is not between {EARLIEST_DATE} and {LATEST_DATE}")
    return day


def _amount_pattern(decimal: str, thousands: str) -> re.Pattern[str]:
    grouped = rf"[0-9]{{1,3}}(?:[{thousands}][0-9]{{3}})+"
    return re.compile(rf"({grouped}|[0-9]*)(?:\{decimal}([0-9]*))?\Z")


_AMOUNTS = {
    DecimalSeparator.POINT: _amount_pattern(".", ",' "),
    DecimalSeparator.COMMA: _amount_pattern(",", ".' "),
}


def parse_amount(text: str, separator: DecimalSeparator, exponent: int, currency: str) -> int:
    """An exact amount in minor units: signs (+, -, a trailing -, or parentheses), thousands
    separators and a currency sign are understood; an exponent, NaN or more decimals than the
    currency has are refused."""
    value = text.strip().translate(str.maketrans(_SPACES, "   ")).strip()
    if not value:
        raise FieldError("is empty")
    negative = False
    if value.startswith("(") and value.endswith(")"):
        negative, value = True, value[1:-1].strip()
    value = value.strip(_CURRENCY_SIGNS).strip()
    if value[:1] in "+-":
        negative, value = negative or value[0] == "-", value[1:].strip()
    elif value[-1:] in "+-":
        negative, value = negative or value[-1] == "-", value[:-1].strip()
    value = value.strip(_CURRENCY_SIGNS).strip()
    match = _AMOUNTS[separator].match(value)
    if not match or not (match.group(1) or match.group(2)):
        if any(mark in value for mark in "eE") and any(ch.isdigit() for ch in value):
            raise FieldError(f"{_shown(text)} has an exponent; write a plain decimal like -1234.56")
        example = "-1234.56" if separator is DecimalSeparator.POINT else "-1234,56"
        raise FieldError(f"{_shown(text)} is not an amount like {example}")
    whole = re.sub(r"[^0-9]", "", match.group(1)) or "0"
    fraction = (match.group(2) or "").rstrip("0")
    if len(whole.lstrip("0")) > MAX_INTEGER_DIGITS:
        raise FieldError(f"{_shown(text)} is too large")
    if len(fraction) > exponent:
        raise FieldError(f"{_shown(text)} has more than {exponent} decimal places for {currency}")
    scale: int = 10**exponent
    minor = int(whole) * scale + (int(fraction.ljust(exponent, "0")) if exponent else 0)
    return -minor if negative else minor


def clean_text(value: str | None, max_length: int, *, multiline: bool = False) -> str:
    """Text from a file as it may be stored: NFC, no control, format or bidi characters, runs of
    whitespace as one space (line breaks kept in `multiline` text), clipped. A cell our export
    protected from formulas reads back as it was."""
    if not value:
        return ""
    if value.startswith(_FORMULA_START):
        value = value[1:]
    if multiline and ("\n" in value or "\r" in value):
        lines = (clean_text(line, max_length) for line in value.splitlines())
        return "\n".join(line for line in lines if line).strip()[:max_length]
    if not (value.isascii() and value.isprintable()):
        value = unicodedata.normalize("NFC", value)
        value = "".join(
            " " if ch.isspace() else ch
            for ch in value
            if ch.isspace() or unicodedata.category(ch) not in _DROPPED_CATEGORIES
        )
    return " ".join(value.split())[:max_length]


def _shown(value: str) -> str:
    return repr(value[:40] + ("…" if len(value) > 40 else ""))
