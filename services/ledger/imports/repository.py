"""Queries of imports: the import itself (scoped by its owner), its text in parts, its staged
rows, the account's transactions a file is matched against, the one statement that publishes
an import's rows, and the rows of an export."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import (
    Boolean,
    ColumnElement,
    String,
    Table,
    Uuid,
    case,
    delete,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger.imports.matching import ExistingRow
from services.ledger.models import (
    PAYEE_SOURCE_DERIVED,
    Account,
    Category,
    Import,
    ImportPart,
    ImportRow,
    Transaction,
)
from shared.clock import UTCDateTime, utcnow
from shared.pagination import Keyset, after_keyset
from shared.sql import scalars_in_chunks

ACTIVE = ("queued", "running")


def add(session: AsyncSession, row: Import | ImportPart) -> None:
    session.add(row)


async def import_for_user(
    session: AsyncSession, user_id: uuid.UUID, import_id: uuid.UUID, *, lock: bool = False
) -> Import | None:
    statement = select(Import).where(Import.user_id == user_id, Import.id == import_id)
    if lock:
        statement = statement.with_for_update()
    return await session.scalar(statement)


async def import_by_id(session: AsyncSession, import_id: uuid.UUID) -> Import | None:
    """For the job, which carries only the id (its owner is on the row)."""
    return await session.scalar(select(Import).where(Import.id == import_id))


async def imports_page(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    after: Keyset[dt.datetime] | None,
    limit: int,
) -> list[Import]:
    statement = select(Import).where(Import.user_id == user_id)
    if after is not None:
        statement = statement.where(after_keyset(Import.created_at, Import.id, after))
    statement = statement.order_by(Import.created_at.desc(), Import.id.desc()).limit(limit)
    return list(await session.scalars(statement))


async def part_text(session: AsyncSession, import_id: uuid.UUID, number: int) -> str | None:
    return await session.scalar(
        select(ImportPart.text).where(
            ImportPart.import_id == import_id, ImportPart.number == number
        )
    )


async def file_text(session: AsyncSession, import_id: uuid.UUID) -> str:
    parts = await session.scalars(
        select(ImportPart.text).where(ImportPart.import_id == import_id).order_by(ImportPart.number)
    )
    return "".join(parts)


async def first_part(session: AsyncSession, import_id: uuid.UUID) -> str:
    return await part_text(session, import_id, 1) or ""


async def delete_parts(session: AsyncSession, import_id: uuid.UUID) -> None:
    await session.execute(delete(ImportPart).where(ImportPart.import_id == import_id))


async def existing_rows(
    session: AsyncSession, account_id: uuid.UUID, date_from: dt.date, date_to: dt.date
) -> list[ExistingRow]:
    """The account's transactions over the file's dates (the account is already proven the
    caller's)."""
    found = await session.execute(
        select(Transaction.date, Transaction.amount_minor, Transaction.import_key).where(
            Transaction.account_id == account_id,
            Transaction.date >= date_from,
            Transaction.date <= date_to,
        )
    )
    return [ExistingRow(day, amount, key) for day, amount, key in found]


async def claim(
    session: AsyncSession, import_id: uuid.UUID, attempt_id: uuid.UUID
) -> uuid.UUID | bool | None:
    """Make `attempt_id` the import's one run if it is queued or running (a redelivered job
    takes over from a run that died). The superseded attempt's id (None if none), or False
    when the import is not there to run."""
    previous = await session.scalar(
        select(Import.attempt_id).where(Import.id == import_id, Import.status.in_(ACTIVE))
    )
    result = await session.execute(
        update(Import)
        .where(Import.id == import_id, Import.status.in_(ACTIVE))
        .values(
            status="running",
            attempt_id=attempt_id,
            rows_done=0,
            started_at=utcnow(),
            updated_at=utcnow(),
        )
    )
    if _count(result) != 1:
        return False
    return previous


async def stage(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        # Core, not the ORM's bulk path: no objects to build, about twice as fast.
        await session.execute(insert(cast(Table, ImportRow.__table__)), list(rows))


async def delete_staged(session: AsyncSession, attempt_id: uuid.UUID) -> None:
    await session.execute(delete(ImportRow).where(ImportRow.attempt_id == attempt_id))


async def record_progress(
    session: AsyncSession, import_id: uuid.UUID, attempt_id: uuid.UUID, **values: Any
) -> bool:
    """Update the running import, if `attempt_id` still runs it."""
    result = await session.execute(
        update(Import)
        .where(Import.id == import_id, Import.attempt_id == attempt_id, Import.status == "running")
        .values(updated_at=utcnow(), **values)
    )
    return _count(result) == 1


async def publish(
    session: AsyncSession, job: Import, attempt_id: uuid.UUID, currency: str
) -> list[tuple[uuid.UUID, dt.date]]:
    """Copy the attempt's staged rows into ledger_transactions in one statement. A row whose key
    the account already has (an import racing this one) is skipped. The rows added."""
    now = utcnow()
    columns = [
        Transaction.id, Transaction.user_id, Transaction.account_id, Transaction.date,
        Transaction.amount_minor, Transaction.currency, Transaction.description,
        Transaction.notes, Transaction.pending, Transaction.import_id, Transaction.import_key,
        Transaction.payee_id, Transaction.payee_source,
        Transaction.created_at, Transaction.updated_at,
    ]  # fmt: skip
    staged = select(
        ImportRow.transaction_id,
        literal(job.user_id, Uuid()),
        literal(job.account_id, Uuid()),
        ImportRow.date,
        ImportRow.amount_minor,
        literal(currency, String()),
        ImportRow.description,
        ImportRow.notes,
        literal(False, Boolean()),
        literal(job.id, Uuid()),
        ImportRow.import_key,
        ImportRow.payee_id,
        case(
            (ImportRow.payee_id.is_not(None), literal(PAYEE_SOURCE_DERIVED, String())), else_=None
        ),
        literal(now, UTCDateTime()),
        literal(now, UTCDateTime()),
    ).where(ImportRow.attempt_id == attempt_id)
    dialect = session.get_bind().dialect.name
    dialect_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        dialect_insert(Transaction)
        .from_select([column.key for column in columns], staged)
        .on_conflict_do_nothing(index_elements=["account_id", "import_key"])
        .returning(Transaction.id, Transaction.date)
    )
    return [(row.id, row.date) for row in await session.execute(statement)]


async def transactions_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Transaction]:
    """Rows this import has just added (their ids came back from publish)."""
    return await scalars_in_chunks(
        session, ids, lambda chunk: select(Transaction).where(Transaction.id.in_(chunk))
    )


@dataclass(frozen=True)
class ExportRow:
    date: dt.date
    description: str
    amount_minor: int
    currency: str
    notes: str | None
    pending: bool
    account: str
    category: str | None


async def export_rows(
    session: AsyncSession, conditions: Sequence[ColumnElement[bool]], limit: int
) -> list[ExportRow]:
    """The filtered transactions, oldest first, with their account's and category's names."""
    statement = (
        select(
            Transaction.date,
            Transaction.description,
            Transaction.amount_minor,
            Transaction.currency,
            Transaction.notes,
            Transaction.pending,
            Account.name,
            Category.name,
        )
        .join(Account, Account.id == Transaction.account_id)
        .outerjoin(Category, Category.id == Transaction.category_id)
        .where(*conditions)
        .order_by(Transaction.date, Transaction.created_at, Transaction.id)
        .limit(limit)
    )
    return [ExportRow(*row) for row in await session.execute(statement)]


def _count(result: Any) -> int:
    return int(result.rowcount)
