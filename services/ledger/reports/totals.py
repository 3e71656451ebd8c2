"""Report totals: each user's monthly flows (repository.py, per account, category and payee),
stored in `ledger_report_totals` so that a report over years reads a few rows per month
instead of every transaction.

They stay equal to the transactions because they are never updated by hand: every write that
changes a user's transactions names the days it touched (the ledger's announcement of changed
transactions does, see events.py; payee merges and deletions call `months_changed` too), and
just before that unit of work commits, each touched month of the user is summed again from
its transactions (`refresh`). One month is what a page costs; an import of years sums its
months once. `rebuild` sums a whole history: at sign-up (nothing to sum), and through
`tally rebuild-reports` for users older than the totals, whose reports read transactions
directly until then (same answers, the old speed).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from sqlalchemy import (
    case,
    delete,
    func,
    insert,
    literal,
    not_,
    null,
    or_,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger import events
from services.ledger.accounts import service as account_service
from services.ledger.currencies.conversion import Figures
from services.ledger.models import (
    ReportTotal,
    ReportTotalsBuilt,
    Transaction,
    TransactionSplit,
)
from services.ledger.periods import Month, months_between
from services.ledger.reports.repository import Dimension, Flow, flows_of_transactions, month_start
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


async def is_built(session: AsyncSession, user_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(ReportTotalsBuilt.user_id).where(ReportTotalsBuilt.user_id == user_id)
    )
    return found is not None


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


async def stored_flows(
    session: AsyncSession,
    user_id: uuid.UUID,
    first_month: dt.date,
    last_month: dt.date,
    dimensions: frozenset[Dimension],
) -> list[Flow]:
    """The stored monthly flows of the user from `first_month` to `last_month` (first days),
    summed over what `dimensions` leaves out: one indexed query."""
    keys: list[Any] = [
        column
        for dimension, column in (
            (Dimension.ACCOUNT, ReportTotal.account_id),
            (Dimension.CATEGORY, ReportTotal.category_id),
            (Dimension.PAYEE, ReportTotal.payee_id),
        )
        if dimension in dimensions
    ]
    grouped = [
        ReportTotal.month,
        *keys,
        ReportTotal.transfer,
        ReportTotal.money_in,
        ReportTotal.currency,
        ReportTotal.converted_currency,
    ]
    statement = (
        select(
            *grouped,
            func.sum(ReportTotal.amount_minor),
            func.sum(ReportTotal.converted_minor),
            func.sum(ReportTotal.transaction_count),
            func.min(ReportTotal.first_date),
            func.max(ReportTotal.last_date),
        )
        .where(
            ReportTotal.user_id == user_id,
            ReportTotal.month >= first_month,
            ReportTotal.month <= last_month,
        )
        .group_by(*grouped)
    )
    # Positions of the key columns in a row (0 is the month); None: not selected.
    position: dict[Dimension, int] = {}
    for dimension in (Dimension.ACCOUNT, Dimension.CATEGORY, Dimension.PAYEE):
        if dimension in dimensions:
            position[dimension] = len(position) + 1
    account, category, payee = (
        position.get(Dimension.ACCOUNT),
        position.get(Dimension.CATEGORY),
        position.get(Dimension.PAYEE),
    )
    rest = 1 + len(position)
    flows = []
    for row in await session.execute(statement):
        flows.append(
            Flow(
                period=row[0],
                account_id=row[account] if account else None,
                category_id=row[category] if category else None,
                payee_id=row[payee] if payee else None,
                tag_id=None,
                transfer=bool(row[rest]),
                money_in=bool(row[rest + 1]),
                figures=Figures(
                    currency=row[rest + 2],
                    converted_currency=row[rest + 3],
                    amount_minor=int(row[rest + 4]),
                    converted_minor=int(row[rest + 5]),
                    count=int(row[rest + 6]),
                    first_date=row[rest + 7],
                    last_date=row[rest + 8],
                ),
            )
        )
    return flows


async def stored_nets(
    session: AsyncSession,
    user_id: uuid.UUID,
    first_month: dt.date,
    last_month: dt.date,
    *,
    key: Dimension,
    base: str,
    uncounted_categories: Collection[uuid.UUID],
) -> tuple[list[tuple[dt.date, uuid.UUID | None, int, int]], list[Figures]]:
    """What spending reports need of whole months, summed by the database: per month and key
    (the category or the payee), the net in the `base` currency and the transactions, leaving
    out transfers and `uncounted_categories`. Returns those cells, and the Figures waiting for
    a rate (per month, key and currency) apart. Narrow rows, because a report over years reads
    hundreds of them and converting wide ones costs more than the database's work."""
    column = {Dimension.CATEGORY: ReportTotal.category_id, Dimension.PAYEE: ReportTotal.payee_id}[
        key
    ]
    own, converted = ReportTotal.currency == base, ReportTotal.converted_currency == base
    convertible = or_(own, converted)
    # The currency a row waits for a rate in; NULL when it counts.
    waiting = case((convertible, null()), else_=ReportTotal.currency)
    amount = case((own, ReportTotal.amount_minor), (converted, ReportTotal.converted_minor))
    conditions = [
        ReportTotal.user_id == user_id,
        ReportTotal.month >= first_month,
        ReportTotal.month <= last_month,
        not_(ReportTotal.transfer),
    ]
    if uncounted_categories:
        conditions.append(
            or_(
                ReportTotal.category_id.is_(None),
                ReportTotal.category_id.not_in(list(uncounted_categories)),
            )
        )
    statement = (
        select(
            ReportTotal.month,
            column,
            waiting,
            func.sum(func.coalesce(amount, ReportTotal.amount_minor)),
            func.sum(ReportTotal.transaction_count),
            # Only the waiting rows need their dates (for the list of missing rates).
            func.min(case((convertible, null()), else_=ReportTotal.first_date)),
            func.max(case((convertible, null()), else_=ReportTotal.last_date)),
        )
        .where(*conditions)
        .group_by(ReportTotal.month, column, waiting)
    )
    cells: list[tuple[dt.date, uuid.UUID | None, int, int]] = []
    missing: list[Figures] = []
    connection = await session.connection()
    for month, key_id, currency, minor, count, first, last in await connection.execute(statement):
        if currency is None:
            cells.append((month, key_id, int(minor), int(count)))
        else:
            missing.append(Figures(currency, None, int(minor), 0, int(count), first, last))
    return cells, missing


async def account_sums(
    session: AsyncSession, user_id: uuid.UUID, account_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """Each account's transactions summed, in minor units of its currency (absent: none),
    from the stored totals (every transaction is in them once, a split one by its parts,
    which add up to it): a read of a few rows a month instead of every transaction."""
    if not account_ids:
        return {}
    sums = (
        select(ReportTotal.account_id, func.sum(ReportTotal.amount_minor))
        .where(ReportTotal.user_id == user_id, ReportTotal.account_id.in_(list(account_ids)))
        .group_by(ReportTotal.account_id)
    )
    # One statement: the sums, and a row without an account when the user's totals are built.
    built = select(null(), literal(0)).where(ReportTotalsBuilt.user_id == user_id)
    result: Any = await session.execute(union_all(sums, built))
    found: dict[uuid.UUID | None, int] = {row[0]: int(row[1]) for row in result}
    if None not in found:
        return await account_service.transaction_sums(session, user_id, account_ids)
    return {account_id: total for account_id, total in found.items() if account_id is not None}


async def count_transactions(
    session: AsyncSession,
    user_id: uuid.UUID,
    account_ids: Sequence[uuid.UUID] | None,
    date_from: dt.date | None,
    date_to: dt.date | None,
) -> int | None:
    """How many of the user's transactions (in `account_ids`; None: all) are dated between
    the dates (None: open), from the stored totals: whole months summed, a partial first or
    last month counted row by row (through the user/date index). None while the user's totals
    are not built.

    A month's stored counts count a split transaction once per category of its parts (that is
    what a report by category wants); the parts of the user's split transactions (few, and
    indexed by user) say by how much that overcounts."""
    if not await is_built(session, user_id):
        return None
    # The whole months within the range (None: open), and the days of the range outside them.
    first = date_from
    if date_from is not None and date_from.day != 1:
        first = _next_month(date_from.replace(day=1))
    last = date_to.replace(day=1) if date_to is not None else None
    if date_to is not None and date_to != _month_end(date_to):
        last = _previous_month(date_to.replace(day=1))
    count = 0
    edges: list[tuple[dt.date, dt.date]] = []
    if first is None or last is None or first <= last:
        if date_from is not None and first is not None and date_from < first:
            edges.append((date_from, first - _DAY))
        if date_to is not None and last is not None and date_to > _month_end(last):
            edges.append((_month_end(last) + _DAY, date_to))
        count += await _stored_count(session, user_id, account_ids, first, last)
    elif date_from is not None and date_to is not None:
        edges.append((date_from, date_to))
    if edges:
        in_edges = or_(*(Transaction.date.between(low, high) for low, high in edges))
        count += (
            await session.scalar(
                select(func.count()).where(
                    Transaction.user_id == user_id,
                    in_edges,
                    *_in_accounts(Transaction, account_ids),
                )
            )
            or 0
        )
    return count


_DAY = dt.timedelta(days=1)


def _previous_month(month: dt.date) -> dt.date:
    return (month - _DAY).replace(day=1)


def _month_end(day: dt.date) -> dt.date:
    return Month(day.year, day.month).last_day


def _in_accounts(table: Any, account_ids: Sequence[uuid.UUID] | None) -> list[Any]:
    return [] if account_ids is None else [table.account_id.in_(list(account_ids))]


async def _stored_count(
    session: AsyncSession,
    user_id: uuid.UUID,
    account_ids: Sequence[uuid.UUID] | None,
    first_month: dt.date | None,
    last_month: dt.date | None,
) -> int:
    months, days = [], []
    if first_month is not None:
        months.append(ReportTotal.month >= first_month)
        days.append(Transaction.date >= first_month)
    if last_month is not None:
        months.append(ReportTotal.month <= last_month)
        days.append(Transaction.date <= _month_end(last_month))
    stored = await session.scalar(
        select(func.coalesce(func.sum(ReportTotal.transaction_count), 0)).where(
            ReportTotal.user_id == user_id, *months, *_in_accounts(ReportTotal, account_ids)
        )
    )
    # Each split transaction (not a transfer: that counts whole) once per category of its
    # parts in the stored counts, where it should count once.
    pairs = (
        select(TransactionSplit.transaction_id, TransactionSplit.category_id)
        .join(Transaction, Transaction.id == TransactionSplit.transaction_id)
        .where(
            TransactionSplit.user_id == user_id,
            Transaction.transfer_counterpart_id.is_(None),
            *days,
            *_in_accounts(Transaction, account_ids),
        )
        .distinct()
        .subquery()
    )
    found = (
        await session.execute(
            select(func.count(), func.count(func.distinct(pairs.c.transaction_id)))
        )
    ).one()
    return int(stored or 0) - int(found[0]) + int(found[1])


def whole_months(date_from: dt.date, date_to: dt.date) -> tuple[list[Month], list[Month]]:
    """The range's months split into the whole ones (in order) and the partial first and last
    (at most two), which the stored totals cannot answer."""
    months = months_between(date_from, date_to)
    whole = [m for m in months if m.first_day >= date_from and m.last_day <= date_to]
    edges = [m for m in {months[0], months[-1]} if not whole or m < whole[0] or m > whole[-1]]
    return whole, sorted(edges)


async def flows(
    session: AsyncSession,
    user_id: uuid.UUID,
    date_from: dt.date,
    date_to: dt.date,
    dimensions: frozenset[Dimension],
) -> list[Flow]:
    """The user's monthly flows in the range (a partial first or last month summed over its
    days in the range, labelled by its first day): the whole months from the stored totals,
    the partial ones from transactions. Everything from transactions while the user's totals
    are not built, or when told apart by tag (tags are not stored)."""
    if Dimension.TAG in dimensions or not await is_built(session, user_id):
        return await flows_of_transactions(
            session, user_id, date_from, date_to, dimensions, monthly=True
        )
    whole, edges = whole_months(date_from, date_to)
    found: list[Flow] = []
    if whole:
        found += await stored_flows(
            session, user_id, whole[0].first_day, whole[-1].first_day, dimensions
        )
    for month in edges:
        found += await flows_of_transactions(
            session,
            user_id,
            max(month.first_day, date_from),
            min(month.last_day, date_to),
            dimensions,
            monthly=True,
        )
    return found


async def _payees_replaced(
    work: UnitOfWork, user_id: uuid.UUID, sources: Sequence[uuid.UUID], target: uuid.UUID | None
) -> None:
    await rename_payees(work.session, user_id, sources, target)


def _days_changed(work: UnitOfWork, user_id: uuid.UUID, days: list[dt.date]) -> None:
    months_changed(work, user_id, days)


LISTENER = events.LedgerListener(days_changed=_days_changed, payees_replaced=_payees_replaced)
events.listen(LISTENER)
