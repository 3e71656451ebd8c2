"""Keeping the report totals (`ledger_report_totals`, read by totals.py) equal to the
transactions they sum.

They are never updated by hand: every write that changes a user's transactions names the days
it touched (the ledger's announcement of changed transactions does, see events.py; payee
merges and deletions call `months_changed` too), and just before that unit of work commits,
each touched month of the user is summed again from its transactions (`refresh`). One month
is what a page costs; an import of years sums its months once. `rebuild` sums a whole
history: at sign-up (nothing to sum), and through `tally rebuild-reports` for users older
than the totals, whose reports read transactions directly until then.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger import events
from services.ledger.models import ReportTotal, ReportTotalsBuilt, Transaction
from services.ledger.periods import Month
from services.ledger.reports.repository import Dimension, Flow, flows_of_transactions, month_start
from services.ledger.reports.totals import is_built
from shared.db import UnitOfWork

_STORED = frozenset({Dimension.ACCOUNT, Dimension.CATEGORY, Dimension.PAYEE})
_STATE_KEY = "ledger.report_totals"
_INSERT_BATCH = 2_000


def months_changed(work: UnitOfWork, user_id: uuid.UUID, days: Iterable[dt.date]) -> None:
    """Have the user's months holding `days` summed again before `work` commits."""
    pending: dict[uuid.UUID, set[dt.date]] | None = work.state.get(_STATE_KEY)
    if pending is None:
        pending = {}
        work.state[_STATE_KEY] = pending

        async def refresh_all() -> None:
            for owner, months in pending.items():
                await refresh(work.session, owner, sorted(months))

        work.before_commit(refresh_all)
    pending.setdefault(user_id, set()).update(month_start(day) for day in days)


async def refresh(session: AsyncSession, user_id: uuid.UUID, months: Sequence[dt.date]) -> None:
    """Sum these months of the user again from their transactions (nothing for a user whose
    totals were never built: theirs are read from transactions until `rebuild`)."""
    if not months or not await is_built(session, user_id):
        return
    await session.flush()
    await _take_turns(session, user_id)
    await session.execute(
        delete(ReportTotal).where(ReportTotal.user_id == user_id, ReportTotal.month.in_(months))
    )
    flows: list[Flow] = []
    for first, last in _runs(months):
        flows += await flows_of_transactions(
            session, user_id, first, Month(last.year, last.month).last_day, _STORED, monthly=True
        )
    await _store(session, user_id, flows)


async def _take_turns(session: AsyncSession, user_id: uuid.UUID) -> None:
    """Make the user's refreshes take turns until the transaction ends. On PostgreSQL two units
    of work summing one month at once would each keep their own rows (neither sees the other's
    before it commits): the second waits here, then reads what the first committed. Taken at
    the very end of a unit of work, on a lock nothing else takes, so it waits for no one who
    waits for it. (SQLite has one writer at a time already.)"""
    if session.get_bind().dialect.name != "postgresql":
        return
    key = int.from_bytes(user_id.bytes[:4], "big", signed=True)
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtext('ledger_report_totals'), :key)"),
        {"key": key},
    )


def _runs(months: Sequence[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Consecutive months as (first, last) runs, so a long import is summed in few queries."""
    runs: list[tuple[dt.date, dt.date]] = []
    for month in sorted(months):
        if runs and _next_month(runs[-1][1]) == month:
            runs[-1] = (runs[-1][0], month)
        else:
            runs.append((month, month))
    return runs


def _next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


async def rebuild(session: AsyncSession, user_id: uuid.UUID) -> int:
    """Sum the user's whole history anew and mark their totals built; how many rows."""
    await session.flush()
    await _take_turns(session, user_id)
    await session.execute(delete(ReportTotal).where(ReportTotal.user_id == user_id))
    first, last = (
        await session.execute(
            select(func.min(Transaction.date), func.max(Transaction.date)).where(
                Transaction.user_id == user_id
            )
        )
    ).one()
    flows = (
        await flows_of_transactions(session, user_id, first, last, _STORED, monthly=True)
        if first is not None
        else []
    )
    await _store(session, user_id, flows)
    await session.execute(delete(ReportTotalsBuilt).where(ReportTotalsBuilt.user_id == user_id))
    await session.execute(insert(ReportTotalsBuilt).values(user_id=user_id))
    return len(flows)


async def users_not_built(session: AsyncSession) -> list[uuid.UUID]:
    """Users with transactions whose totals were never built."""
    built = select(ReportTotalsBuilt.user_id)
    found = await session.scalars(
        select(Transaction.user_id).where(Transaction.user_id.not_in(built)).distinct()
    )
    return list(found)


async def _store(session: AsyncSession, user_id: uuid.UUID, flows: Sequence[Flow]) -> None:
    rows = [
        {
            "id": uuid.uuid4(),
            "user_id": user_id,
            "month": flow.period,
            "account_id": flow.account_id,
            "category_id": flow.category_id,
            "payee_id": flow.payee_id,
            "transfer": flow.transfer,
            "money_in": flow.money_in,
            "currency": flow.figures.currency,
            "converted_currency": flow.figures.converted_currency,
            "amount_minor": flow.figures.amount_minor,
            "converted_minor": flow.figures.converted_minor,
            "transaction_count": flow.figures.count,
            "first_date": flow.figures.first_date,
            "last_date": flow.figures.last_date,
        }
        for flow in flows
    ]
    for start in range(0, len(rows), _INSERT_BATCH):
        await session.execute(insert(ReportTotal), rows[start : start + _INSERT_BATCH])


async def rename_payees(
    session: AsyncSession,
    user_id: uuid.UUID,
    sources: Sequence[uuid.UUID],
    target: uuid.UUID | None,
) -> None:
    """Payees merged into `target` (or deleted: None): their stored sums follow, in place."""
    await session.execute(
        update(ReportTotal)
        .where(ReportTotal.user_id == user_id, ReportTotal.payee_id.in_(sources))
        .values(payee_id=target)
        .execution_options(synchronize_session=False)
    )


async def _payees_replaced(
    work: UnitOfWork, user_id: uuid.UUID, sources: Sequence[uuid.UUID], target: uuid.UUID | None
) -> None:
    await rename_payees(work.session, user_id, sources, target)


def _days_changed(work: UnitOfWork, user_id: uuid.UUID, days: list[dt.date]) -> None:
    months_changed(work, user_id, days)


LISTENER = events.LedgerListener(days_changed=_days_changed, payees_replaced=_payees_replaced)
events.listen(LISTENER)
