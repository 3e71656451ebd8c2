"""An import's life: it starts with the first part of the file's text, takes the rest in parts
(each request stays under the gateway's 1 MB body limit), can be previewed with any settings
(nothing is written), and is run as a job on the ledger's queue (see running.py).

Only manual accounts take imports: a linked account's transactions come from the bank, which
knows nothing of imported rows and would add them a second time.
"""

from __future__ import annotations

import asyncio
import enum
import json
import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.accounts import service as account_service
from services.ledger.imports import repository
from services.ledger.imports.fields import Account, FileRows, RowError, SettingsError
from services.ledger.imports.jobs import run_import_message
from services.ledger.imports.matching import MatchedRow, date_range, match
from services.ledger.imports.reading import read_file
from services.ledger.imports.settings import FileFormat, ImportSettings, check_settings
from services.ledger.models import MAX_NAME, Import, ImportPart
from shared.db import UnitOfWork
from shared.errors import BadUserInput, Conflict, NotFound
from shared.messaging import send_after_commit
from shared.pagination import Keyset, Page, parse_moment
from shared.validation import check_unicode, clean_text

# One part's text, in UTF-8 bytes: JSON escaping (quotes, backslashes, line breaks) can double
# it, and the gateway refuses a request body over 1 MB.
MAX_PART_BYTES = 400_000
MAX_FILE_BYTES = 40_000_000
MAX_PREVIEW_ROWS = 100
HEAD_LINES = 10
HEAD_WIDTH = 500


class ImportStatus(enum.Enum):
    RECEIVING = "receiving"  # parts of the text may still come; previews work
    QUEUED = "queued"  # run: waiting for a worker
    RUNNING = "running"
    COMPLETED = "completed"  # its rows are in the ledger; its text is gone
    FAILED = "failed"  # nothing was added; its errors say why; it may be run again


@dataclass(frozen=True)
class NewImport:
    account_id: uuid.UUID
    file_format: FileFormat
    text: str
    file_name: str | None = None
    total_bytes: int | None = None


@dataclass(frozen=True)
class Preview:
    rows: list[MatchedRow]  # the first ones
    rows_total: int
    new_rows: int
    duplicates: int
    errors: list[RowError]
    error_count: int
    columns: list[str]
    currency: str


def status_of(job: Import) -> ImportStatus:
    return ImportStatus(job.status)


def errors_of(job: Import) -> list[RowError]:
    return [RowError(**error) for error in json.loads(job.errors or "[]")]


def _check_part(text: str, field: str) -> int:
    size = len(check_unicode(text, field).encode())
    if size == 0:
        raise BadUserInput(field, "must not be empty")
    if size > MAX_PART_BYTES:
        raise BadUserInput(
            field, f"is {size} bytes; send the file in parts of at most {MAX_PART_BYTES} bytes"
        )
    return size


async def start_import(work: UnitOfWork, user_id: uuid.UUID, new: NewImport) -> Import:
    """A new import into one of the user's manual accounts, with the first part of its text."""
    session = work.session
    account = await account_service.require_open_account(
        session, user_id, new.account_id, "input.accountId"
    )
    if account.item_ref is not None:
        raise BadUserInput(
            "input.accountId",
            "is linked to a bank: its transactions come from the bank, which would add "
            "imported ones a second time",
        )
    file_name = None
    if new.file_name is not None:
        file_name = clean_text(new.file_name, "input.fileName", max_length=MAX_NAME, required=False)
    size = _check_part(new.text, "input.text")
    if new.total_bytes is not None and not size <= new.total_bytes <= MAX_FILE_BYTES:
        raise BadUserInput(
            "input.totalBytes", f"must be between this part's {size} bytes and {MAX_FILE_BYTES}"
        )
    job = Import(
        id=uuid.uuid4(),
        user_id=user_id,
        account_id=account.id,
        format=new.file_format.value,
        file_name=file_name or None,
        status=ImportStatus.RECEIVING.value,
        parts=1,
        bytes_received=size,
        total_bytes=new.total_bytes,
        head="\n".join(line[:HEAD_WIDTH] for line in new.text.splitlines()[:HEAD_LINES]),
        rows_done=0,
        added=0,
        duplicates=0,
        error_count=0,
    )
    repository.add(session, job)
    await session.flush()
    repository.add(session, ImportPart(import_id=job.id, number=1, text=new.text))
    await session.flush()
    return job


async def require_import(
    session: AsyncSession, user_id: uuid.UUID, import_id: uuid.UUID, *, lock: bool = False
) -> Import:
    job = await repository.import_for_user(session, user_id, import_id, lock=lock)
    if job is None:
        raise NotFound("Import")
    return job


async def append_text(
    work: UnitOfWork, user_id: uuid.UUID, import_id: uuid.UUID, part: int, text: str
) -> Import:
    """The next part of the file's text. Sending a part again with the same text (a retry
    after a lost answer) changes nothing."""
    session = work.session
    job = await require_import(session, user_id, import_id, lock=True)
    size = _check_part(text, "input.text")
    if part < 1 or part > job.parts + 1:
        raise BadUserInput("input.part", f"must be {job.parts + 1}: parts are sent in order from 1")
    if part <= job.parts:
        if await repository.part_text(session, job.id, part) != text:
            raise Conflict(f"Part {part} was already received with other text.")
        return job
    if status_of(job) is not ImportStatus.RECEIVING:
        raise Conflict(f"The import is {job.status}: it takes no more text.")
    limit = job.total_bytes if job.total_bytes is not None else MAX_FILE_BYTES
    if job.bytes_received + size > limit:
        raise BadUserInput("input.text", f"the file would exceed {limit} bytes")
    repository.add(session, ImportPart(import_id=job.id, number=part, text=text))
    job.parts = part
    job.bytes_received += size
    await session.flush()
    return job


def _readable(job: Import) -> None:
    if status_of(job) is ImportStatus.COMPLETED:
        raise Conflict("The import has completed; its file is no longer kept.")


async def import_account(session: AsyncSession, job: Import) -> Account:
    account = await account_service.require_account(session, job.user_id, job.account_id)
    return Account(currency=account.currency)


async def read_rows(
    text: str, job: Import, settings: ImportSettings, account: Account, field: str
) -> FileRows:
    """The file's rows (parsing is CPU work: it runs in a thread, off the event loop). A
    setting that does not fit the file is BAD_USER_INPUT naming it under `field`."""
    try:
        return await asyncio.to_thread(read_file, text, FileFormat(job.format), settings, account)
    except SettingsError as error:
        raise BadUserInput(f"{field}.{error.field}", error.message) from None


async def matched_rows(session: AsyncSession, job: Import, rows: FileRows) -> list[MatchedRow]:
    span = date_range(rows.rows)
    existing = []
    if span is not None:
        existing = await repository.existing_rows(session, job.account_id, *span)
    return await asyncio.to_thread(match, rows.rows, existing)


async def preview(
    session: AsyncSession,
    user_id: uuid.UUID,
    import_id: uuid.UUID,
    settings: ImportSettings,
    first: int,
) -> Preview:
    """What running the import with these settings would do, writing nothing."""
    if not 1 <= first <= MAX_PREVIEW_ROWS:
        raise BadUserInput("input.first", f"must be between 1 and {MAX_PREVIEW_ROWS}")
    job = await require_import(session, user_id, import_id)
    check_settings(FileFormat(job.format), settings, "input.settings")
    _readable(job)
    account = await import_account(session, job)
    text = await repository.file_text(session, job.id)
    rows = await read_rows(text, job, settings, account, "input.settings")
    matched = await matched_rows(session, job, rows)
    duplicates = sum(1 for row in matched if row.duplicate is not None)
    return Preview(
        rows=matched[:first],
        rows_total=len(matched),
        new_rows=len(matched) - duplicates,
        duplicates=duplicates,
        errors=rows.errors,
        error_count=rows.error_count,
        columns=rows.columns,
        currency=account.currency,
    )


async def run_import(
    work: UnitOfWork, user_id: uuid.UUID, import_id: uuid.UUID, settings: ImportSettings
) -> Import:
    """Queue the import with these settings (a failed one may be run again). The job reads the
    whole file: any bad row fails it and adds nothing."""
    session = work.session
    job = await require_import(session, user_id, import_id, lock=True)
    check_settings(FileFormat(job.format), settings, "input.settings")
    status = status_of(job)
    if status not in (ImportStatus.RECEIVING, ImportStatus.FAILED):
        raise Conflict(f"The import is {job.status}; it runs once.")
    if job.total_bytes is not None and job.bytes_received != job.total_bytes:
        raise Conflict(
            f"The import has {job.bytes_received} of its {job.total_bytes} bytes: "
            "send the missing parts first."
        )
    await import_account(session, job)
    job.settings = settings.to_json()
    job.status = ImportStatus.QUEUED.value
    job.attempt_id = None
    job.rows_total = None
    job.rows_done = job.added = job.duplicates = job.error_count = 0
    job.errors = None
    job.started_at = job.finished_at = None
    await session.flush()
    send_after_commit(work, run_import_message(job.id))
    return job


@dataclass(frozen=True)
class ImportPage:
    rows: list[Import]
    has_next_page: bool

    @property
    def end_cursor(self) -> str | None:
        return import_cursor(self.rows[-1]) if self.rows else None


def import_cursor(job: Import) -> str:
    return Keyset(job.created_at, job.id).cursor()


async def import_page(
    session: AsyncSession, user_id: uuid.UUID, *, first: int, after: str | None
) -> ImportPage:
    """The user's imports, newest first."""
    keyset = Keyset.parse(after, parse_moment) if after is not None else None
    fetched = await repository.imports_page(session, user_id, after=keyset, limit=first + 1)
    page = Page.of(fetched, first)
    return ImportPage(page.rows, page.has_next_page)


def head_lines(job: Import) -> list[str]:
    """The first lines of the file, to help choose its settings."""
    return job.head.split("\n") if job.head else []
