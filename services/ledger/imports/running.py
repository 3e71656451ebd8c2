"""The import job: read the whole file, match it against the account, stage its new rows in
batches (each batch commits, so progress shows), then publish them in ONE transaction that
also marks the import COMPLETED and announces the change. Before that transaction none of the
import's rows is in the ledger; after it, all of them are.

Any bad row fails the import before anything is staged. A job that dies is redelivered
(at least once): the new run claims the import with a fresh attempt id, drops what the dead
run staged and starts again; a run that finds itself superseded stops. Publishing is guarded
by the attempt id and by the unique (account, import key), so an import adds its rows once.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.currencies import service as currency_service
from services.ledger.events import announce_transactions_changed
from services.ledger.imports import repository
from services.ledger.imports.fields import Account, RowError
from services.ledger.imports.matching import MatchedRow
from services.ledger.imports.service import ImportStatus, import_account, matched_rows, read_rows
from services.ledger.imports.settings import ImportSettings
from services.ledger.models import Import
from services.ledger.payees import service as payee_service
from shared.clock import utcnow
from shared.db import read_session, unit_of_work
from shared.errors import BadUserInput, NotFound
from shared.logging import get_logger
from shared.sql import chunked

log = get_logger(__name__)

STAGE_BATCH = 5_000
# Transactions named by one "transactions changed" announcement.
ANNOUNCE_BATCH = 500


class Superseded(Exception):
    """Another run of the same import has claimed it."""


async def run_import_job(import_id: uuid.UUID) -> None:
    """Run a queued import (idempotent: a finished import is left alone)."""
    attempt_id = uuid.uuid4()
    claimed = await _claim(import_id, attempt_id)
    if claimed is None:
        return
    job, settings, account, text = claimed
    try:
        await _run(job, attempt_id, settings, account, text)
    except Superseded:
        log.info("import.superseded", import_id=str(import_id))
        await _drop_staged(attempt_id)
    except Exception:
        log.error("import.failed", import_id=str(import_id), exc_info=True)
        error = RowError(None, "file", "the import failed unexpectedly; run it again")
        # If even this fails (the database is down), the job is retried and starts over.
        await _fail(job.id, attempt_id, [error], 1)


async def _claim(
    import_id: uuid.UUID, attempt_id: uuid.UUID
) -> tuple[Import, ImportSettings, Account, str] | None:
    async with unit_of_work() as work:
        session = work.session
        job = await repository.import_by_id(session, import_id)
        if job is None or job.settings is None:
            return None
        previous = await repository.claim(session, import_id, attempt_id)
        if previous is False:
            return None
        if isinstance(previous, uuid.UUID):
            await repository.delete_staged(session, previous)
        text = await repository.file_text(session, job.id)
        try:
            account = await import_account(session, job)
        except NotFound:
            account = None
    if account is None:
        await _fail(import_id, attempt_id, [RowError(None, "account", "the account is gone")], 1)
        return None
    return job, ImportSettings.from_json(job.settings), account, text


async def _run(
    job: Import, attempt_id: uuid.UUID, settings: ImportSettings, account: Account, text: str
) -> None:
    try:
        rows = await read_rows(text, job, settings, account, "settings")
    except BadUserInput as error:
        await _fail(job.id, attempt_id, [RowError(None, error.field, error.message)], 1)
        return
    if rows.error_count:
        await _fail(job.id, attempt_id, rows.errors, rows.error_count)
        return
    async with read_session() as session:
        matched = await matched_rows(session, job, rows)
    new = [row for row in matched if row.duplicate is None]
    await _progress(job.id, attempt_id, rows_total=len(matched), duplicates=len(matched) - len(new))
    await _stage(job.user_id, job.id, attempt_id, matched)
    await _publish(job.id, attempt_id, account, total=len(matched))


async def _progress(import_id: uuid.UUID, attempt_id: uuid.UUID, **values: object) -> None:
    async with unit_of_work() as work:
        if not await repository.record_progress(work.session, import_id, attempt_id, **values):
            raise Superseded


async def _stage(
    user_id: uuid.UUID, import_id: uuid.UUID, attempt_id: uuid.UUID, matched: list[MatchedRow]
) -> None:
    """The new rows in batches, each committed with the count of rows done, and each with the
    payee its description names (new payees are created, as for bank rows)."""
    done = 0
    for batch in chunked(matched, STAGE_BATCH):
        staged = [
            {
                "attempt_id": attempt_id,
                "row_number": item.row.row,
                "import_id": import_id,
                "transaction_id": uuid.uuid4(),
                "date": item.row.date,
                "amount_minor": item.row.amount_minor,
                "description": item.row.description,
                "notes": item.row.notes,
                "import_key": item.key,
            }
            for item in batch
            if item.duplicate is None
        ]
        done += len(batch)
        async with unit_of_work() as work:
            descriptions = [item.row.description for item in batch if item.duplicate is None]
            payees = await payee_service.payee_ids_for_texts(work.session, user_id, descriptions)
            for row, description in zip(staged, descriptions, strict=True):
                row["payee_id"] = payees.get(description)
            await repository.stage(work.session, staged)
            if not await repository.record_progress(
                work.session, import_id, attempt_id, rows_done=done
            ):
                raise Superseded


async def _publish(
    import_id: uuid.UUID, attempt_id: uuid.UUID, account: Account, *, total: int
) -> None:
    async with unit_of_work() as work:
        session = work.session
        job = await repository.import_by_id(session, import_id)
        if job is None or job.attempt_id != attempt_id or job.status != "running":
            raise Superseded
        added = await repository.publish(session, job, attempt_id, account.currency)
        await _convert(session, job.user_id, account.currency, [row[0] for row in added])
        done = await repository.record_progress(
            session,
            import_id,
            attempt_id,
            status=ImportStatus.COMPLETED.value,
            head=None,
            rows_done=total,
            added=len(added),
            duplicates=total - len(added),
            finished_at=utcnow(),
        )
        if not done:
            raise Superseded
        await repository.delete_staged(session, attempt_id)
        await repository.delete_parts(session, import_id)
        for batch in chunked(added, ANNOUNCE_BATCH):
            announce_transactions_changed(
                work, job.user_id, [row[0] for row in batch], [row[1] for row in batch]
            )
    log.info("import.completed", import_id=str(import_id), added=len(added), rows=total)


async def _convert(
    session: AsyncSession, user_id: uuid.UUID, currency: str, ids: list[uuid.UUID]
) -> None:
    """Rows in a currency other than the user's base currency get their converted figure, as
    every new transaction does (in the base currency they count at their own amount)."""
    if not ids or currency == await currency_service.base_currency(session, user_id):
        return
    rows = await repository.transactions_by_ids(session, ids)
    await currency_service.convert_transactions(session, user_id, rows)
    await session.flush()


async def _fail(
    import_id: uuid.UUID, attempt_id: uuid.UUID, errors: list[RowError], count: int
) -> None:
    async with unit_of_work() as work:
        await repository.delete_staged(work.session, attempt_id)
        await repository.record_progress(
            work.session,
            import_id,
            attempt_id,
            status=ImportStatus.FAILED.value,
            errors=json.dumps([asdict(error) for error in errors]),
            error_count=count,
            finished_at=utcnow(),
        )


async def _drop_staged(attempt_id: uuid.UUID) -> None:
    async with unit_of_work() as work:
        await repository.delete_staged(work.session, attempt_id)
