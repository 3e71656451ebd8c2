"""Keeping the report totals (`ledger_report_totals`, read by totals.py) equal to the
transactions they sum, inside the unit of work that changes them.

Two ways, both applied just before the unit of work commits:

- By difference, for the transactions a writer names: before it changes or deletes them it
  calls `transactions_changing` (their flows as they are are kept aside; on PostgreSQL their
  rows are locked first, so no other writer changes them in between), and for new ones
  `transactions_added`. At commit their flows as they are now, less those kept aside, are
  added to the stored rows of their keys (amounts, figures and counts exactly; a key that
  loses its earliest or latest date has its month summed again, below, and a key left with no
  transaction goes). A bank sync's page of new transactions costs its own rows, not the rows
  of the months it touches.
- By summing again, for every other change: a write announces the days it touched (events.py:
  the announcement of changed transactions, payee merges and deletions, `months_changed`),
  and each touched month of the user is summed again from its transactions (`refresh`) unless
  every transaction the announcement names is already followed by difference.

A user's updates take turns (`_take_turns`), so that two units of work never add to the same
stored rows at once. `rebuild` sums a whole history: at sign-up (nothing to sum), through
`tally rebuild-reports` for users older than the totals (whose reports read transactions
directly until then), and to repair.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger import events
from services.ledger.models import (
    ReportTotal,
    ReportTotalsBuilt,
    Transaction,
)
from services.ledger.periods import Month
from services.ledger.reports import category_totals
from services.ledger.reports.repository import (
    Dimension,
    Flow,
    flows_of_ids,
    flows_of_transactions,
    month_start,
)
from services.ledger.reports.totals import is_built
from shared.db import UnitOfWork
from shared.sql import chunked

_STORED = frozenset({Dimension.ACCOUNT, Dimension.CATEGORY, Dimension.PAYEE})
_STATE_KEY = "ledger.report_totals"
_INSERT_BATCH = 2_000

# What the stored rows are told apart by: month, account, category, payee, transfer, money in,
# currency, converted currency.
_Key = tuple[dt.date, uuid.UUID, uuid.UUID | None, uuid.UUID | None, bool, bool, str, str | None]


@dataclass
class _Pending:
    """What one unit of work changed of one user's transactions, for the totals to follow."""

    # Months (first days) to sum again from their transactions.
    months: set[dt.date] = field(default_factory=set)
    # Transactions followed by difference, and their flows from before they changed.
    followed: set[uuid.UUID] = field(default_factory=set)
    before: list[Flow] = field(default_factory=list)
    built: bool | None = None  # whether the user's totals are built (None: not asked yet)


def _pending(work: UnitOfWork, user_id: uuid.UUID) -> _Pending:
    state: dict[uuid.UUID, _Pending] | None = work.state.get(_STATE_KEY)
    if state is None:
        state = {}
        work.state[_STATE_KEY] = state
        # `rebuild` (which sees only the session) forgets what it sums anyway.
        work.session.info[_STATE_KEY] = state

        async def bring_up_to_date() -> None:
            for owner, pending in state.items():
                await _update(work.session, owner, pending)

        work.before_commit(bring_up_to_date)
    return state.setdefault(user_id, _Pending())


def months_changed(work: UnitOfWork, user_id: uuid.UUID, days: Iterable[dt.date]) -> None:
    """Have the user's months holding `days` summed again before `work` commits."""
    _pending(work, user_id).months.update(month_start(day) for day in days)


def transactions_added(
    work: UnitOfWork, user_id: uuid.UUID, transaction_ids: Sequence[uuid.UUID]
) -> None:
    """These new transactions of the user (added in `work`) are added to the totals at commit."""
    _pending(work, user_id).followed.update(transaction_ids)


async def transactions_changing(
    work: UnitOfWork, user_id: uuid.UUID, transaction_ids: Sequence[uuid.UUID]
) -> None:
    """Call before `work` writes (flushes) a change to these transactions of the user or
    deletes them: what they count for now is taken out of the totals at commit, and what they
    count for then is put in. On PostgreSQL their rows stay locked until `work` ends."""
    pending = _pending(work, user_id)
    new = sorted(set(transaction_ids) - pending.followed)
    if not new:
        return
    pending.followed.update(new)
    session = work.session
    if pending.built is None:
        pending.built = await is_built(session, user_id)
    if not pending.built:
        return
    if session.get_bind().dialect.name == "postgresql":
        # Another writer's change to one of them commits before this reads them, or waits
        # until this unit of work ends: what is taken out is what is stored.
        for chunk in chunked(new):
            await session.execute(
                select(Transaction.id)
                .where(Transaction.id.in_(chunk))
                .order_by(Transaction.id)
                .with_for_update()
            )
    pending.before += await flows_of_ids(session, user_id, new, _STORED)


async def _update(session: AsyncSession, user_id: uuid.UUID, pending: _Pending) -> None:
    if not (pending.months or pending.followed) or not await is_built(session, user_id):
        return
    await session.flush()
    await _take_turns(session, user_id)
    months = set(pending.months)
    touched = set(months)
    if pending.followed:
        after = await flows_of_ids(session, user_id, sorted(pending.followed), _STORED)
        changes = _changes(after, pending.before, skip_months=months)
        touched.update(key[0] for key in changes)
        months |= await _add_changes(session, user_id, changes)
    await _sum_again(session, user_id, sorted(months))
    await category_totals.roll_up(session, user_id, sorted(touched | months))


async def refresh(session: AsyncSession, user_id: uuid.UUID, months: Sequence[dt.date]) -> None:
    """Sum these months of the user again from their transactions (nothing for a user whose
    totals were never built: theirs are read from transactions until `rebuild`)."""
    if not months or not await is_built(session, user_id):
        return
    await session.flush()
    await _take_turns(session, user_id)
    await _sum_again(session, user_id, months)
    await category_totals.roll_up(session, user_id, months)


async def _sum_again(session: AsyncSession, user_id: uuid.UUID, months: Sequence[dt.date]) -> None:
    if not months:
        return
    await session.execute(
        delete(ReportTotal).where(ReportTotal.user_id == user_id, ReportTotal.month.in_(months))
    )
    flows: list[Flow] = []
    for first, last in _runs(months):
        flows += await flows_of_transactions(
            session, user_id, first, Month(last.year, last.month).last_day, _STORED, monthly=True
        )
    await _store(session, user_id, flows)


@dataclass(slots=True)
class _Change:
    """What a key gains (after) and loses (before): net sums, and the dates on each side."""

    amount: int = 0
    converted: int = 0
    count: int = 0
    added: tuple[dt.date, dt.date] | None = None  # (first, last) of what comes in
    removed: tuple[dt.date, dt.date] | None = None  # (first, last) of what goes

    def add(self, flow: Flow, sign: int) -> None:
        figures = flow.figures
        self.amount += sign * figures.amount_minor
        self.converted += sign * figures.converted_minor
        self.count += sign * figures.count
        dates = (figures.first_date, figures.last_date)
        if sign > 0:
            self.added = _widest(self.added, dates)
        else:
            self.removed = _widest(self.removed, dates)

    @property
    def is_none(self) -> bool:
        return (self.amount, self.converted, self.count) == (0, 0, 0) and (
            self.added == self.removed
        )


def _widest(
    dates: tuple[dt.date, dt.date] | None, more: tuple[dt.date, dt.date]
) -> tuple[dt.date, dt.date]:
    return more if dates is None else (min(dates[0], more[0]), max(dates[1], more[1]))


def _key(flow: Flow) -> _Key:
    assert flow.account_id is not None
    return (
        flow.period,
        flow.account_id,
        flow.category_id,
        flow.payee_id,
        flow.transfer,
        flow.money_in,
        flow.figures.currency,
        flow.figures.converted_currency,
    )


def _changes(
    after: Sequence[Flow], before: Sequence[Flow], *, skip_months: set[dt.date]
) -> dict[_Key, _Change]:
    """Per key, what the followed transactions add now less what they added before (months
    summed again anyway are left out; so are keys that do not change)."""
    changes: dict[_Key, _Change] = {}
    for flows, sign in ((after, 1), (before, -1)):
        for flow in flows:
            if flow.period not in skip_months:
                changes.setdefault(_key(flow), _Change()).add(flow, sign)
    return {key: change for key, change in changes.items() if not change.is_none}


@dataclass(slots=True)
class _Stored:
    """A key's stored rows (a payee merge may leave several), summed."""

    ids: list[uuid.UUID] = field(default_factory=list)
    amount: int = 0
    converted: int = 0
    count: int = 0
    first: dt.date = dt.date.max
    last: dt.date = dt.date.min


async def _add_changes(
    session: AsyncSession, user_id: uuid.UUID, changes: dict[_Key, _Change]
) -> set[dt.date]:
    """Add the changes to the stored rows of their keys; the months that must be summed again
    instead (a key that lost its earliest or latest date, or that the changes do not fit)."""
    if not changes:
        return set()
    stored = await _stored_rows(session, user_id, changes)
    again: set[dt.date] = set()
    rows: list[dict[str, Any]] = []
    for key, change in changes.items():
        kept = stored.get(key, _Stored())
        row = _changed_row(kept, change)
        if row is None:
            again.add(key[0])
        elif row:
            rows.append({**_columns(key), **row})
    gone = [
        row_id
        for key, kept in stored.items()
        if key in changes and key[0] not in again
        for row_id in kept.ids
    ]
    for chunk in chunked(gone):
        await session.execute(
            delete(ReportTotal)
            .where(ReportTotal.id.in_(chunk))
            .execution_options(synchronize_session=False)
        )
    await _insert(session, user_id, [row for row in rows if row["month"] not in again])
    return again


def _changed_row(kept: _Stored, change: _Change) -> dict[str, Any] | None:
    """The key's figures after the change ({}: none left); None when only summing its month
    again can tell (its first or last date went, or the stored rows do not hold what goes)."""
    count = kept.count + change.count
    amount, converted = kept.amount + change.amount, kept.converted + change.converted
    if count < 0 or (count == 0 and (amount, converted) != (0, 0)):
        return None
    if count == 0:
        return {}
    first, last = kept.first, kept.last
    if change.removed is not None:
        if change.removed[0] < first or change.removed[1] > last:
            return None
        if change.removed[0] == first and (change.added is None or change.added[0] > first):
            return None
        if change.removed[1] == last and (change.added is None or change.added[1] < last):
            return None
    if change.added is not None:
        first, last = min(first, change.added[0]), max(last, change.added[1])
    return {
        "amount_minor": amount,
        "converted_minor": converted,
        "transaction_count": count,
        "first_date": first,
        "last_date": last,
    }


async def _stored_rows(
    session: AsyncSession, user_id: uuid.UUID, changes: dict[_Key, _Change]
) -> dict[_Key, _Stored]:
    """The stored rows of the changed keys, found by month, account and payee (the index's
    user and month, then a few rows of each month)."""
    months = sorted({key[0] for key in changes})
    accounts = sorted({key[1] for key in changes})
    payees = sorted({key[3] for key in changes if key[3] is not None})
    conditions = [
        ReportTotal.user_id == user_id,
        ReportTotal.month.in_(months),
        ReportTotal.account_id.in_(accounts),
    ]
    if len(payees) < len({key[3] for key in changes}):
        conditions.append(or_(ReportTotal.payee_id.in_(payees), ReportTotal.payee_id.is_(None)))
    else:
        conditions.append(ReportTotal.payee_id.in_(payees))
    found: dict[_Key, _Stored] = {}
    for row in await session.scalars(select(ReportTotal).where(*conditions)):
        key = (row.month, row.account_id, row.category_id, row.payee_id, row.transfer,
               row.money_in, row.currency, row.converted_currency)  # fmt: skip
        if key not in changes:
            continue
        kept = found.setdefault(key, _Stored())
        kept.ids.append(row.id)
        kept.amount += row.amount_minor
        kept.converted += row.converted_minor
        kept.count += row.transaction_count
        kept.first, kept.last = min(kept.first, row.first_date), max(kept.last, row.last_date)
    return found


def _columns(key: _Key) -> dict[str, Any]:
    month, account_id, category_id, payee_id, transfer, money_in, currency, converted = key
    return {
        "month": month,
        "account_id": account_id,
        "category_id": category_id,
        "payee_id": payee_id,
        "transfer": transfer,
        "money_in": money_in,
        "currency": currency,
        "converted_currency": converted,
    }


async def _take_turns(session: AsyncSession, user_id: uuid.UUID) -> None:
    """Make the user's updates take turns until the transaction ends. On PostgreSQL two units
    of work adding to (or summing) one month at once would each build on what they read
    before the other committed: the second waits here, then reads what the first committed.
    Taken at the very end of a unit of work, on a lock nothing else takes, so it waits for no
    one who waits for it. (SQLite has one writer at a time already.)"""
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
    # What this unit of work changed so far is in the sums below: it must not count twice.
    state: dict[uuid.UUID, _Pending] | None = session.info.get(_STATE_KEY)
    if state is not None and user_id in state:
        state[user_id] = _Pending()
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
    await category_totals.roll_up(session, user_id, None)
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
    await _insert(
        session,
        user_id,
        [
            {
                **_columns(_key(flow)),
                "amount_minor": flow.figures.amount_minor,
                "converted_minor": flow.figures.converted_minor,
                "transaction_count": flow.figures.count,
                "first_date": flow.figures.first_date,
                "last_date": flow.figures.last_date,
            }
            for flow in flows
        ],
    )


async def _insert(session: AsyncSession, user_id: uuid.UUID, rows: list[dict[str, Any]]) -> None:
    rows = [{"id": uuid.uuid4(), "user_id": user_id, **row} for row in rows]
    # The table's INSERT, not the ORM's bulk one, which splits a batch by which values are
    # NULL (a statement more for rows without a category or payee).
    table = cast(Table, ReportTotal.__table__)
    for start in range(0, len(rows), _INSERT_BATCH):
        await session.execute(insert(table), rows[start : start + _INSERT_BATCH])


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


def _days_changed(
    work: UnitOfWork,
    user_id: uuid.UUID,
    transaction_ids: Sequence[uuid.UUID] | None,
    days: list[dt.date],
) -> None:
    pending = _pending(work, user_id)
    if transaction_ids is not None and pending.followed.issuperset(transaction_ids):
        return  # followed by difference
    months_changed(work, user_id, days)


LISTENER = events.LedgerListener(
    days_changed=_days_changed,
    changing=transactions_changing,
    added=transactions_added,
    payees_replaced=_payees_replaced,
)
events.listen(LISTENER)
