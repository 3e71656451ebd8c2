"""File imports and the CSV export, their root fields: the `importJob(s)` and `importPreview`
queries, the `startImport`, `appendImportText` and `runImport` mutations, and
`exportTransactionsCsv` (their types are in import_types.py).

A file's text travels as a GraphQL String. The gateway refuses request bodies over 1 MB, so a
file of more than 400,000 bytes is sent in parts: `startImport` carries the first,
`appendImportText` the next ones, in order. `importPreview` shows what a run would do (nothing
is written); `runImport` queues the job, whose progress `importJob` reports.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

# --- enums ----------------------------------------------------------------------------------
from services.ledger.graphql.import_types import (
    AppendImportTextInput,
    AppendImportTextPayload,
    ImportJob,
    ImportJobConnection,
    ImportJobEdge,
    ImportPreview,
    ImportPreviewInput,
    ImportPreviewRow,
    ImportRowError,
    ImportSettingsInput,
    RunImportInput,
    RunImportPayload,
    StartImportInput,
    StartImportPayload,
    TransactionsCsv,
    resolve_import_job,
)
from services.ledger.graphql.inputs import TransactionFilter
from services.ledger.graphql.transactions import filter_from_input
from services.ledger.imports import export as export_service
from services.ledger.imports import service as import_service
from services.ledger.imports.settings import (
    CsvColumns,
    CsvDelimiter,
    DateFormat,
    DecimalSeparator,
    FileFormat,
    ImportSettings,
)
from shared.db import read_session, unit_of_work
from shared.graphql import INPUT, After, First, Info, PageInfo
from shared.ids import decode_id
from shared.pagination import page_size


@strawberry.type
class ImportQueries:
    @strawberry.field
    async def import_job(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The import's id.")],
    ) -> ImportJob:
        """One of your imports, with its progress."""
        return await resolve_import_job(info, decode_id("ImportJob", id))

    @strawberry.field
    async def import_jobs(
        self,
        info: Info,
        first: First = None,
        after: After = None,
    ) -> ImportJobConnection:
        """Your imports, newest first; at most 100 a page."""
        user_id = info.context.require_user()
        size = page_size(first)
        async with read_session() as session:
            page = await import_service.import_page(session, user_id, first=size, after=after)
        return ImportJobConnection(
            edges=[
                ImportJobEdge(
                    cursor=import_service.import_cursor(row), node=ImportJob.from_row(row)
                )
                for row in page.rows
            ],
            page_info=PageInfo.of(
                [import_service.import_cursor(row) for row in page.rows],
                has_next_page=page.has_next_page,
                after=after,
            ),
        )

    @strawberry.field
    async def import_preview(
        self,
        info: Info,
        input: Annotated[ImportPreviewInput, INPUT],
    ) -> ImportPreview:
        """Read an import's file with some settings: its first rows as they would be stored,
        its errors, and its duplicates. Writes nothing."""
        user_id = info.context.require_user()
        import_id = decode_id("ImportJob", input.import_job_id, "input.importJobId")
        settings = _settings(input.settings)
        async with read_session() as session:
            found = await import_service.preview(session, user_id, import_id, settings, input.first)
        return ImportPreview(
            rows=[ImportPreviewRow.of(row, found.currency) for row in found.rows],
            rows_total=found.rows_total,
            new_rows=found.new_rows,
            duplicates=found.duplicates,
            error_count=found.error_count,
            errors=[ImportRowError.of(error) for error in found.errors],
            columns=found.columns,
        )

    @strawberry.field
    async def export_transactions_csv(
        self,
        info: Info,
        filter: Annotated[
            TransactionFilter | None,
            strawberry.argument(description="Which transactions; all by default."),
        ] = None,
    ) -> TransactionsCsv:
        """Your transactions matching the filter as a CSV file (at most 100,000)."""
        user_id = info.context.require_user()
        given = filter_from_input(filter)
        async with read_session() as session:
            found = await export_service.export_transactions_csv(session, user_id, given)
        return TransactionsCsv(text=found.text, row_count=found.row_count)


@strawberry.type
class ImportMutations:
    @strawberry.mutation
    async def start_import(
        self,
        info: Info,
        input: Annotated[StartImportInput, INPUT],
    ) -> StartImportPayload:
        """Start importing a file into one of your manual accounts, with its text or the
        text's first part."""
        user_id = info.context.require_user()
        new = import_service.NewImport(
            account_id=decode_id("Account", input.account_id, "input.accountId"),
            file_format=FileFormat[input.format.name],
            text=input.text,
            file_name=input.file_name,
            total_bytes=input.total_bytes,
        )
        async with unit_of_work() as work:
            row = await import_service.start_import(work, user_id, new)
        return StartImportPayload(import_job=ImportJob.from_row(row))

    @strawberry.mutation
    async def append_import_text(
        self,
        info: Info,
        input: Annotated[AppendImportTextInput, INPUT],
    ) -> AppendImportTextPayload:
        """Send the next part of an import's file."""
        user_id = info.context.require_user()
        import_id = decode_id("ImportJob", input.import_job_id, "input.importJobId")
        async with unit_of_work() as work:
            row = await import_service.append_text(work, user_id, import_id, input.part, input.text)
        return AppendImportTextPayload(import_job=ImportJob.from_row(row))

    @strawberry.mutation
    async def run_import(
        self,
        info: Info,
        input: Annotated[RunImportInput, INPUT],
    ) -> RunImportPayload:
        """Run an import: a job reads the whole file and adds its new rows all at once, or,
        if any row is bad, nothing. Follow it with importJob."""
        user_id = info.context.require_user()
        import_id = decode_id("ImportJob", input.import_job_id, "input.importJobId")
        settings = _settings(input.settings)
        async with unit_of_work() as work:
            row = await import_service.run_import(work, user_id, import_id, settings)
        return RunImportPayload(import_job=ImportJob.from_row(row))


def _settings(given: ImportSettingsInput | None) -> ImportSettings:
    if given is None:
        return ImportSettings()
    columns = given.csv
    return ImportSettings(
        date_format=DateFormat[given.date_format.name] if given.date_format else None,
        decimal_separator=DecimalSeparator[given.decimal_separator.name],
        invert_amounts=given.invert_amounts,
        csv=(
            CsvColumns(
                date=columns.date_column,
                description=columns.description_column,
                amount=columns.amount_column,
                money_in=columns.money_in_column,
                money_out=columns.money_out_column,
                notes=columns.notes_column,
                delimiter=CsvDelimiter[columns.delimiter.name],
                header_rows=columns.header_rows,
            )
            if columns is not None
            else None
        ),
    )
