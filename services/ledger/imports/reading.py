"""A file's text and settings -> its rows as they would be stored, and what is wrong with it,
whatever the format. Nothing here touches the database."""

from __future__ import annotations

from collections.abc import Callable

from services.ledger.imports.fields import Account, FileRows, ParsedRow
from services.ledger.imports.settings import FileFormat, ImportSettings

Reader = Callable[[str, ImportSettings, Account], FileRows]


def read_file(
    text: str, file_format: FileFormat, settings: ImportSettings, account: Account
) -> FileRows:
    """Every row of the file, checked; raises SettingsError when the settings do not fit."""
    # Imported here so each format's parser loads only when a file of it is read.
    if file_format is FileFormat.CSV:
        from services.ledger.imports.csv_file import read_csv as reader
    elif file_format is FileFormat.QIF:
        from services.ledger.imports.qif_file import read_qif as reader
    else:
        from services.ledger.imports.ofx_file import read_ofx as reader
    rows = reader(text.removeprefix("\ufeff"), settings, account)
    if settings.invert_amounts:
        rows.rows = [
            ParsedRow(r.row, r.date, -r.amount_minor, r.description, r.notes, r.reference)
            for r in rows.rows
        ]
    return rows
