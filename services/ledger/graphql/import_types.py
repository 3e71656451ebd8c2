"""The GraphQL types of file imports and exports: formats, settings, jobs, previews, and the
mutations' inputs and payloads (their root fields are in imports.py)."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

import strawberry

from services.ledger import models
from services.ledger.graphql.accounts import Account, load_account
from services.ledger.imports import service as import_service
from services.ledger.imports.fields import RowError
from services.ledger.imports.matching import MatchedRow
from services.ledger.imports.settings import (
    FileFormat,
)
from shared.db import read_session
from shared.graphql import Info, MoneyType, Node, PageInfo
from shared.ids import encode_id
from shared.money import Money

# --- enums ----------------------------------------------------------------------------------


@strawberry.enum(name="ImportFormat", description="The kind of file an import reads.")
class ImportFormatValue(enum.Enum):
    CSV = strawberry.enum_value(
        "CSV",
        description=(
            "Values separated by commas (or another delimiter); its columns are mapped by "
            "settings.csv."
        ),
    )
    OFX = strawberry.enum_value(
        "OFX",
        description="Open Financial Exchange, 1.x (SGML) or 2 (XML); rows are matched by FITID.",
    )
    QFX = strawberry.enum_value("QFX", description="Quicken's OFX (Web Connect); read as OFX.")
    QIF = strawberry.enum_value(
        "QIF", description="Quicken Interchange Format; needs settings.dateFormat."
    )


@strawberry.enum(name="ImportStatus", description="Where an import is in its life.")
class ImportStatusValue(enum.Enum):
    RECEIVING = strawberry.enum_value(
        "RECEIVING", description="Its text is arriving in parts; it can be previewed."
    )
    QUEUED = strawberry.enum_value("QUEUED", description="Run, waiting for a worker.")
    RUNNING = strawberry.enum_value(
        "RUNNING", description="A worker is reading and adding its rows."
    )
    COMPLETED = strawberry.enum_value(
        "COMPLETED",
        description="Its new rows are in the ledger, all at once; its text is no longer kept.",
    )
    FAILED = strawberry.enum_value(
        "FAILED", description="Nothing was added; `errors` say why. It may be run again."
    )


@strawberry.enum(
    name="DateFormat",
    description="The order of a date's day, month and year; the separator may be -, / or .",
)
class DateFormatValue(enum.Enum):
    YYYY_MM_DD = strawberry.enum_value("YYYY_MM_DD", description="2026-03-31")
    DD_MM_YYYY = strawberry.enum_value("DD_MM_YYYY", description="31/03/2026")
    MM_DD_YYYY = strawberry.enum_value("MM_DD_YYYY", description="03/31/2026")
    DD_MM_YY = strawberry.enum_value("DD_MM_YY", description="31/03/26 (00-69 are 20xx)")
    MM_DD_YY = strawberry.enum_value("MM_DD_YY", description="03/31/26 (00-69 are 20xx)")
    YYYYMMDD = strawberry.enum_value("YYYYMMDD", description="20260331")


@strawberry.enum(name="DecimalSeparator", description="What separates an amount's decimals.")
class DecimalSeparatorValue(enum.Enum):
    POINT = strawberry.enum_value(
        "POINT", description="-1,234.56 (thousands: comma, apostrophe or space)"
    )
    COMMA = strawberry.enum_value(
        "COMMA", description="-1.234,56 (thousands: point, apostrophe or space)"
    )


@strawberry.enum(name="CsvDelimiter", description="What separates a CSV file's columns.")
class CsvDelimiterValue(enum.Enum):
    COMMA = strawberry.enum_value("COMMA", description=",")
    SEMICOLON = strawberry.enum_value("SEMICOLON", description=";")
    TAB = strawberry.enum_value("TAB", description="a tab")
    PIPE = strawberry.enum_value("PIPE", description="|")


@strawberry.enum(name="ImportDuplicate", description="Why a row of a file will not be added.")
class ImportDuplicateValue(enum.Enum):
    ALREADY_IMPORTED = strawberry.enum_value(
        "ALREADY_IMPORTED",
        description=(
            "The account has it: same FITID (OFX) or same fingerprint (date, amount, description,"
            " occurrence)."
        ),
    )
    MATCHES_EXISTING = strawberry.enum_value(
        "MATCHES_EXISTING",
        description=(
            "A transaction of the account (entered by hand, from the bank or another file) has "
            "its date and amount."
        ),
    )
    REPEATED_IN_FILE = strawberry.enum_value(
        "REPEATED_IN_FILE", description="The file repeats the FITID of an earlier row."
    )


# --- inputs ---------------------------------------------------------------------------------


@strawberry.input(
    name="CsvColumnsInput",
    description=(
        "Which CSV column holds what, numbered from 1 as a spreadsheet shows them. The amount is "
        "one signed column, or two columns of positive numbers: money in and money out."
    ),
)
class CsvColumnsInput:
    date_column: int = strawberry.field(description="The column of the date.")
    description_column: int = strawberry.field(description="The column of the description.")
    amount_column: int | None = strawberry.field(
        default=None, description="The column of the signed amount (money in positive)."
    )
    money_in_column: int | None = strawberry.field(
        default=None,
        description="The column of money in (with moneyOutColumn, instead of amountColumn).",
    )
    money_out_column: int | None = strawberry.field(
        default=None, description="The column of money out, as a positive number."
    )
    notes_column: int | None = strawberry.field(
        default=None, description="A column kept as the transaction's notes."
    )
    delimiter: CsvDelimiterValue = strawberry.field(
        default=CsvDelimiterValue.COMMA, description="What separates the columns."
    )
    header_rows: int = strawberry.field(
        default=1, description="Rows before the first transaction (a header, a bank's preamble)."
    )


@strawberry.input(
    name="ImportSettingsInput", description="How to read the file. OFX and QFX need none of it."
)
class ImportSettingsInput:
    date_format: DateFormatValue | None = strawberry.field(
        default=None, description="Required for CSV and QIF: their dates are ambiguous."
    )
    decimal_separator: DecimalSeparatorValue = strawberry.field(
        default=DecimalSeparatorValue.POINT, description="For CSV and QIF amounts."
    )
    invert_amounts: bool = strawberry.field(
        default=False,
        description="The file counts money out as positive (some card exports): flip every sign.",
    )
    csv: CsvColumnsInput | None = strawberry.field(default=None, description="Required for CSV.")


@strawberry.input(
    name="StartImportInput",
    description="A new import into one of your manual accounts, with the first part of the file.",
)
class StartImportInput:
    account_id: strawberry.ID = strawberry.field(
        description="A manual account (a linked one takes its transactions from the bank)."
    )
    format: ImportFormatValue = strawberry.field(description="The kind of file.")
    text: str = strawberry.field(
        description=(
            "The file's text, or its first part: at most 400,000 bytes of UTF-8 (send the rest "
            "with appendImportText)."
        )
    )
    file_name: str | None = strawberry.field(
        default=None, description="The file's name, to tell imports apart."
    )
    total_bytes: int | None = strawberry.field(
        default=None,
        description=(
            "The whole text's size in UTF-8 bytes, when it comes in parts: runImport then "
            "refuses to run before all of it arrived."
        ),
    )


@strawberry.input(name="AppendImportTextInput", description="The next part of an import's file.")
class AppendImportTextInput:
    import_job_id: strawberry.ID = strawberry.field(description="The import, while RECEIVING.")
    part: int = strawberry.field(
        description=(
            "The part's number: startImport sent part 1. Sending a part again with the same text "
            "changes nothing."
        )
    )
    text: str = strawberry.field(description="At most 400,000 bytes of UTF-8.")


@strawberry.input(
    name="RunImportInput", description="Run an import (RECEIVING, or FAILED to try again)."
)
class RunImportInput:
    import_job_id: strawberry.ID = strawberry.field(description="The import to run.")
    settings: ImportSettingsInput | None = strawberry.field(
        default=None, description="How to read the file (none for OFX and QFX)."
    )


@strawberry.input(
    name="ImportPreviewInput",
    description="Read an import's file with some settings, writing nothing.",
)
class ImportPreviewInput:
    import_job_id: strawberry.ID = strawberry.field(description="The import whose file to read.")
    settings: ImportSettingsInput | None = strawberry.field(
        default=None, description="How to read the file (none for OFX and QFX)."
    )
    first: int = strawberry.field(default=20, description="How many rows to show, 1 to 100.")


# --- types ----------------------------------------------------------------------------------


@strawberry.type(
    name="ImportRowError", description="What is wrong with a file's row, or with the whole file."
)
class ImportRowError:
    row: int | None = strawberry.field(
        description=(
            "The record's number in the file, from 1 (a CSV's header rows count); null for the "
            "whole file."
        )
    )
    field: str = strawberry.field(
        description=(
            "What is wrong: date, amount, moneyIn, moneyOut, description (CSV), FITID, DTPOSTED, "
            "TRNAMT, CURDEF, CURRENCY (OFX), D, T (QIF), or file."
        )
    )
    column: int | None = strawberry.field(description="The CSV column, from 1.")
    message: str = strawberry.field(description="Why, for the user.")

    @classmethod
    def of(cls, error: RowError) -> ImportRowError:
        return cls(row=error.row, field=error.field, column=error.column, message=error.message)


@strawberry.type(
    name="ImportJob", description="A file being imported into an account, and how far it is."
)
class ImportJob(Node):
    format: ImportFormatValue = strawberry.field(description="The kind of file.")
    file_name: str | None = strawberry.field(description="The name given at start.")
    status: ImportStatusValue = strawberry.field(description="Where the import is.")
    parts_received: int = strawberry.field(description="How many parts of the text arrived.")
    bytes_received: int = strawberry.field(description="How many bytes of UTF-8 text arrived.")
    total_bytes: int | None = strawberry.field(description="The whole text's size, if announced.")
    rows_total: int | None = strawberry.field(
        description="The file's rows, once a run has read it."
    )
    rows_done: int = strawberry.field(description="Rows a run has processed so far (of rowsTotal).")
    added: int = strawberry.field(description="Transactions added (once COMPLETED).")
    duplicates: int = strawberry.field(description="Rows skipped as duplicates.")
    error_count: int = strawberry.field(description="How many errors the last run found.")
    errors: list[ImportRowError] = strawberry.field(description="The last run's first 100 errors.")
    created_at: dt.datetime = strawberry.field(description="When the import started.")
    started_at: dt.datetime | None = strawberry.field(description="When the last run started.")
    finished_at: dt.datetime | None = strawberry.field(description="When the last run finished.")
    row: strawberry.Private[models.Import]

    @classmethod
    def from_row(cls, row: models.Import) -> ImportJob:
        return cls(
            id=strawberry.ID(encode_id("ImportJob", row.id)),
            format=ImportFormatValue[FileFormat(row.format).name],
            file_name=row.file_name,
            status=ImportStatusValue[import_service.status_of(row).name],
            parts_received=row.parts,
            bytes_received=row.bytes_received,
            total_bytes=row.total_bytes,
            rows_total=row.rows_total,
            rows_done=row.rows_done,
            added=row.added,
            duplicates=row.duplicates,
            error_count=row.error_count,
            errors=[ImportRowError.of(error) for error in import_service.errors_of(row)],
            created_at=row.created_at,
            started_at=row.started_at,
            finished_at=row.finished_at,
            row=row,
        )

    @strawberry.field
    async def account(self, info: Info) -> Account:
        """The account the file goes into."""
        return await load_account(info, self.row.account_id)

    @strawberry.field
    def first_lines(self) -> list[str]:
        """The file's first lines (up to 10), to help choose settings; empty once COMPLETED."""
        return import_service.head_lines(self.row)


async def resolve_import_job(info: Info, import_id: uuid.UUID) -> ImportJob:
    """The caller's import (for `importJob(id:)` and `node(id:)`); NOT_FOUND otherwise."""
    user_id = info.context.require_user()
    async with read_session() as session:
        row = await import_service.require_import(session, user_id, import_id)
    return ImportJob.from_row(row)


@strawberry.type(name="ImportJobEdge", description="An import in a page of imports.")
class ImportJobEdge:
    cursor: str = strawberry.field(description="Where this import is in the list.")
    node: ImportJob = strawberry.field(description="The import.")


@strawberry.type(name="ImportJobConnection", description="A page of your imports, newest first.")
class ImportJobConnection:
    edges: list[ImportJobEdge] = strawberry.field(description="The imports of this page.")
    page_info: PageInfo = strawberry.field(description="Whether more follow, and from where.")


@strawberry.type(name="ImportPreviewRow", description="A row of the file as it would be stored.")
class ImportPreviewRow:
    row: int = strawberry.field(description="The record's number in the file, from 1.")
    date: dt.date = strawberry.field(description="The transaction's date.")
    amount: MoneyType = strawberry.field(description="Money in positive, money out negative.")
    description: str = strawberry.field(description="The description it would get.")
    notes: str | None = strawberry.field(description="The notes it would get (a memo).")
    reference: str | None = strawberry.field(description="The bank's id of it (OFX FITID).")
    duplicate: ImportDuplicateValue | None = strawberry.field(
        description="Why it would be skipped; null if it would be added."
    )

    @classmethod
    def of(cls, matched: MatchedRow, currency: str) -> ImportPreviewRow:
        row = matched.row
        return cls(
            row=row.row,
            date=row.date,
            amount=MoneyType.of(Money(row.amount_minor, currency)),
            description=row.description,
            notes=row.notes,
            reference=row.reference,
            duplicate=ImportDuplicateValue[matched.duplicate.name] if matched.duplicate else None,
        )


@strawberry.type(
    name="ImportPreview", description="What running an import with some settings would do."
)
class ImportPreview:
    rows: list[ImportPreviewRow] = strawberry.field(
        description="The first rows (as many as asked)."
    )
    rows_total: int = strawberry.field(description="Rows read from the file (bad rows aside).")
    new_rows: int = strawberry.field(description="Rows that would be added.")
    duplicates: int = strawberry.field(description="Rows that would be skipped as duplicates.")
    error_count: int = strawberry.field(
        description="Errors found; a run fails while there are any."
    )
    errors: list[ImportRowError] = strawberry.field(description="The first 100 errors.")
    columns: list[str] = strawberry.field(description="CSV: the last header row's cells.")


@strawberry.type(name="TransactionsCsv", description="Transactions as an RFC 4180 CSV file.")
class TransactionsCsv:
    text: str = strawberry.field(
        description=(
            "A header row, then one row per transaction, oldest first: Date, Description, Amount "
            "(exact, in Currency), Currency, Account, Category, Notes, Pending. Text cells that a"
            " spreadsheet would run as a formula start with a single quote."
        )
    )
    row_count: int = strawberry.field(description="How many transactions it holds.")


@strawberry.type(name="StartImportPayload", description="The import started.")
class StartImportPayload:
    import_job: ImportJob = strawberry.field(description="The new import, RECEIVING.")


@strawberry.type(name="AppendImportTextPayload", description="The import with one more part.")
class AppendImportTextPayload:
    import_job: ImportJob = strawberry.field(description="The import.")


@strawberry.type(name="RunImportPayload", description="The import, queued.")
class RunImportPayload:
    import_job: ImportJob = strawberry.field(description="The import; follow it with importJob.")


# --- queries and mutations ------------------------------------------------------------------
