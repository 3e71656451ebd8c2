"""How a file is read: what the client says about it, checked before anything is parsed."""

from __future__ import annotations

import enum
import json
from dataclasses import asdict, dataclass
from typing import Any

from shared.errors import BadUserInput

# CSV columns are numbered from 1, as a spreadsheet shows them.
MAX_COLUMN = 200
MAX_HEADER_ROWS = 50


class FileFormat(enum.Enum):
    CSV = "csv"
    OFX = "ofx"
    QFX = "qfx"
    QIF = "qif"


class DateFormat(enum.Enum):
    """Day, month and year in a fixed order; the separator may be -, /, . or a space."""

    YYYY_MM_DD = "ymd"
    DD_MM_YYYY = "dmy"
    MM_DD_YYYY = "mdy"
    DD_MM_YY = "dmy2"
    MM_DD_YY = "mdy2"
    YYYYMMDD = "ymd-compact"


class DecimalSeparator(enum.Enum):
    POINT = "."
    COMMA = ","


class CsvDelimiter(enum.Enum):
    COMMA = ","
    SEMICOLON = ";"
    TAB = "\t"
    PIPE = "|"


@dataclass(frozen=True)
class CsvColumns:
    """Which column holds what (numbered from 1). The amount is one signed column, or two
    columns of positive numbers: money in and money out."""

    date: int
    description: int
    amount: int | None = None
    money_in: int | None = None
    money_out: int | None = None
    notes: int | None = None
    delimiter: CsvDelimiter = CsvDelimiter.COMMA
    header_rows: int = 1

    def used(self) -> dict[str, int]:
        named = {
            "dateColumn": self.date,
            "descriptionColumn": self.description,
            "amountColumn": self.amount,
            "moneyInColumn": self.money_in,
            "moneyOutColumn": self.money_out,
            "notesColumn": self.notes,
        }
        return {name: column for name, column in named.items() if column is not None}


@dataclass(frozen=True)
class ImportSettings:
    date_format: DateFormat | None = None
    decimal_separator: DecimalSeparator = DecimalSeparator.POINT
    # The file counts money out as positive (some credit card exports): flip every sign.
    invert_amounts: bool = False
    csv: CsvColumns | None = None

    def to_json(self) -> str:
        def plain(value: Any) -> Any:
            return value.name if isinstance(value, enum.Enum) else value

        data = asdict(self)
        data = {key: plain(value) for key, value in data.items()}
        if data["csv"] is not None:
            data["csv"] = {key: plain(value) for key, value in data["csv"].items()}
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> ImportSettings:
        data = json.loads(text)
        csv = data.pop("csv")
        return cls(
            date_format=DateFormat[data["date_format"]] if data["date_format"] else None,
            decimal_separator=DecimalSeparator[data["decimal_separator"]],
            invert_amounts=bool(data["invert_amounts"]),
            csv=(
                CsvColumns(
                    **{**csv, "delimiter": CsvDelimiter[csv["delimiter"]]},
                )
                if csv is not None
                else None
            ),
        )


def check_settings(file_format: FileFormat, settings: ImportSettings, field: str) -> None:
    """Refuse settings that cannot read a file of this format (BAD_USER_INPUT naming the field)."""
    if file_format in (FileFormat.CSV, FileFormat.QIF) and settings.date_format is None:
        raise BadUserInput(
            f"{field}.dateFormat", f"is required for {file_format.name}: its dates are ambiguous"
        )
    if file_format is not FileFormat.CSV:
        if settings.csv is not None:
            raise BadUserInput(f"{field}.csv", f"applies to CSV files only, not {file_format.name}")
        return
    if settings.csv is None:
        raise BadUserInput(f"{field}.csv", "is required for a CSV file: say which column is which")
    _check_columns(settings.csv, f"{field}.csv")


def _check_columns(columns: CsvColumns, field: str) -> None:
    if not 0 <= columns.header_rows <= MAX_HEADER_ROWS:
        raise BadUserInput(f"{field}.headerRows", f"must be between 0 and {MAX_HEADER_ROWS}")
    seen: dict[int, str] = {}
    for name, column in columns.used().items():
        if not 1 <= column <= MAX_COLUMN:
            raise BadUserInput(
                f"{field}.{name}", f"must be a column number between 1 and {MAX_COLUMN}"
            )
        if column in seen:
            raise BadUserInput(f"{field}.{name}", f"is column {column}, already {seen[column]}")
        seen[column] = name
    one_column = columns.amount is not None
    two_columns = columns.money_in is not None or columns.money_out is not None
    if one_column and two_columns:
        raise BadUserInput(
            f"{field}.amountColumn", "give either amountColumn or moneyInColumn and moneyOutColumn"
        )
    if not one_column and not (columns.money_in is not None and columns.money_out is not None):
        raise BadUserInput(
            f"{field}.amountColumn",
            "is required (or both moneyInColumn and moneyOutColumn)",
        )
