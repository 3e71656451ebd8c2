"""Queries of accounts, their balances and reconciliations, each scoped by the owning user."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import case, delete, exists, func, literal_column, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger import rows
from services.ledger.models import (
    Account,
    Goal,
    Import,
    Reconciliation,
    ReportTotal,
    ReportTotalsBuilt,
    Transaction,
)
from shared.sql import chunked, rows_in_chunks


async def accounts_for_user(
    session: AsyncSession, user_id: uuid.UUID, *, open_only: bool = False
) -> list[Account]:
    statement = select(Account).where(Account.user_id == user_id)
    if open_only:
        statement = statement.where(Account.closed_at.is_(None))
    result = await session.scalars(statement.order_by(Account.created_at, Account.id))
    return list(result)


async def accounts_with_stored_sums(
    session: AsyncSession, user_id: uuid.UUID, *, open_only: bool = False
) -> tuple[list[Account], dict[uuid.UUID, int] | None]:
    """The user's accounts as `accounts_for_user` lists them, and in the same statement each
    one's transactions summed from the stored report totals (reports/totals.py: every
    transaction is in them once; absent: none), or None while the user's totals are not
    built."""
    sums = (
        select(ReportTotal.account_id, func.sum(ReportTotal.amount_minor).label("total"))
        .where(ReportTotal.user_id == user_id)
        .group_by(ReportTotal.account_id)
        .subquery()
    )
    built = exists().where(ReportTotalsBuilt.user_id == user_id)
    statement = (
        select(Account, sums.c.total, built)
        .outerjoin(sums, sums.c.account_id == Account.id)
        .where(Account.user_id == user_id)
    )
    if open_only:
        statement = statement.where(Account.closed_at.is_(None))
    found = list(await session.execute(statement.order_by(Account.created_at, Account.id)))
    accounts = [account for account, _, _ in found]
    if not found or not found[0][2]:
        return accounts, None
    return accounts, {account.id: int(total) for account, total, _ in found if total is not None}


async def accounts_by_ids(
    session: AsyncSession, user_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[Account]:
    return await rows.owned_by_ids(session, Account, user_id, ids)


async def account_for_user(
    session: AsyncSession, user_id: uuid.UUID, account_id: uuid.UUID
) -> Account | None:
    return await session.scalar(
        select(Account).where(Account.user_id == user_id, Account.id == account_id)
    )


async def accounts_for_items(
    session: AsyncSession, user_id: uuid.UUID, item_refs: Sequence[uuid.UUID], *, lock: bool = False
) -> list[Account]:
    """The user's accounts of these linked items; `lock` serializes concurrent syncs of an
    item on PostgreSQL (SQLite writers are serialized already)."""
    query = (
        select(Account)
        .where(Account.user_id == user_id, Account.item_ref.in_(item_refs))
        .order_by(Account.created_at, Account.id)
    )
    if lock:
        query = query.with_for_update()
    return list(await session.scalars(query))


async def transaction_sums_by_account(
    session: AsyncSession, user_id: uuid.UUID, account_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    sums = await rows_in_chunks(
        session,
        account_ids,
        lambda chunk: (
            select(Transaction.account_id, func.sum(Transaction.amount_minor))
            .where(Transaction.user_id == user_id, Transaction.account_id.in_(chunk))
            .group_by(Transaction.account_id)
        ),
    )
    return {account_id: int(total) for account_id, total in sums}


@dataclass(frozen=True)
class AccountSums:
    """An account's transactions summed in minor units of its currency: all of them, and
    those cleared."""

    total: int
    cleared: int


async def sums_with_cleared_by_account(
    session: AsyncSession, user_id: uuid.UUID, account_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, AccountSums]:
    cleared_amount = case((Transaction.cleared, Transaction.amount_minor), else_=0)
    sums = await rows_in_chunks(
        session,
        account_ids,
        lambda chunk: (
            select(
                Transaction.account_id,
                func.sum(Transaction.amount_minor),
                func.sum(cleared_amount),
            )
            .where(Transaction.user_id == user_id, Transaction.account_id.in_(chunk))
            .group_by(Transaction.account_id)
        ),
    )
    return {
        account_id: AccountSums(int(total), int(cleared or 0))
        for account_id, total, cleared in sums
    }


async def daily_sums_by_account(
    session: AsyncSession, user_id: uuid.UUID, account_ids: Sequence[uuid.UUID], until: dt.date
) -> list[tuple[uuid.UUID, dt.date, int]]:
    """(account, day, net) of these accounts' transactions dated up to `until`."""
    found = await rows_in_chunks(
        session,
        account_ids,
        lambda chunk: (
            select(Transaction.account_id, Transaction.date, func.sum(Transaction.amount_minor))
            .where(
                Transaction.user_id == user_id,
                Transaction.account_id.in_(chunk),
                Transaction.date <= until,
            )
            .group_by(Transaction.account_id, Transaction.date)
        ),
    )
    return [(account_id, day, int(total)) for account_id, day, total in found]


async def last_transaction_date(
    session: AsyncSession, user_id: uuid.UUID, account_id: uuid.UUID
) -> dt.date | None:
    return await session.scalar(
        select(func.max(Transaction.date)).where(
            Transaction.user_id == user_id, Transaction.account_id == account_id
        )
    )


async def goals_funded_by(
    session: AsyncSession, user_id: uuid.UUID, account_ids: Sequence[uuid.UUID]
) -> list[tuple[str, str]]:
    """(goal name, account name) of the user's goals whose funding names one of the accounts
    (whatever the funding is now), by goal name."""
    if not account_ids:
        return []
    found = await session.execute(
        select(Goal.name, Account.name)
        .join(Account, Account.id == Goal.account_id)
        .where(Goal.user_id == user_id, Goal.account_id.in_(list(account_ids)))
        .order_by(Goal.name, Goal.id)
    )
    return [(goal, account) for goal, account in found]


async def transaction_ids_and_dates(
    session: AsyncSession, user_id: uuid.UUID, account_id: uuid.UUID
) -> list[tuple[uuid.UUID, dt.date]]:
    found = await session.execute(
        select(Transaction.id, Transaction.date).where(
            Transaction.user_id == user_id, Transaction.account_id == account_id
        )
    )
    return [(transaction_id, day) for transaction_id, day in found]


async def unlink_transfers_leaving(
    session: AsyncSession, user_id: uuid.UUID, account_ids: Sequence[uuid.UUID]
) -> list[tuple[uuid.UUID, dt.date]]:
    """Undo the transfer links between these accounts' transactions and the user's other
    accounts: (id, date) of each other half, which counts as ordinary money in or out now."""
    # Two steps, each on an index (the accounts', then the ids'): as one statement with a
    # subquery SQLite walks every transaction of the user.
    halves = list(
        await session.scalars(
            select(Transaction.transfer_counterpart_id).where(
                Transaction.user_id == user_id,
                Transaction.account_id.in_(list(account_ids)),
                Transaction.transfer_counterpart_id.is_not(None),
            )
        )
    )
    found = await rows_in_chunks(
        session,
        [half for half in halves if half is not None],
        lambda chunk: select(Transaction.id, Transaction.date).where(
            Transaction.user_id == user_id,
            Transaction.id.in_(chunk),
            Transaction.account_id.not_in(list(account_ids)),
        ),
    )
    others = [(transaction_id, day) for transaction_id, day in found]
    for chunk in chunked([transaction_id for transaction_id, _ in others]):
        await session.execute(
            update(Transaction)
            .where(Transaction.user_id == user_id, Transaction.id.in_(chunk))
            .values(transfer_counterpart_id=None),
            execution_options={"synchronize_session": False},
        )
    return others


async def forget_bank_origin(session: AsyncSession, user_id: uuid.UUID, item_ref: uuid.UUID) -> int:
    """The item's transactions become the user's own (editable, and no bank will change them
    again); how many."""
    result = await session.execute(
        update(Transaction)
        .where(Transaction.user_id == user_id, Transaction.item_ref == item_ref)
        .values(item_ref=None, provider_transaction_id=None),
        execution_options={"synchronize_session": False},
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def delete_account_with_history(session: AsyncSession, account: Account) -> None:
    """The account, its transactions, reconciliations and file imports, in set-based statements
    (an account may hold years of transactions: one DELETE, not a row at a time)."""
    # An import's parts and staged rows go with it (their foreign keys cascade).
    await session.execute(
        delete(Import).where(Import.user_id == account.user_id, Import.account_id == account.id)
    )
    await session.execute(
        delete(Reconciliation).where(
            Reconciliation.user_id == account.user_id, Reconciliation.account_id == account.id
        )
    )
    await session.execute(
        delete(Transaction).where(
            Transaction.user_id == account.user_id, Transaction.account_id == account.id
        ),
        execution_options={"synchronize_session": False},
    )
    await rows.delete(session, [account])


async def clear_up_to(
    session: AsyncSession, account: Account, day: dt.date, moment: dt.datetime
) -> int:
    """Mark cleared every uncleared, posted transaction of the account dated up to `day`; how
    many."""
    result = await session.execute(
        update(Transaction)
        .where(
            Transaction.user_id == account.user_id,
            Transaction.account_id == account.id,
            Transaction.cleared.is_(False),
            Transaction.pending.is_(False),
            Transaction.date <= day,
        )
        .values(cleared=True, cleared_at=moment),
        execution_options={"synchronize_session": False},
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ReconciliationHistory:
    """An account's latest reconciliation, and when one last balanced (difference zero)."""

    latest: Reconciliation | None
    last_balanced_at: dt.datetime | None


async def reconciliation_histories(
    session: AsyncSession, user_id: uuid.UUID, account_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, ReconciliationHistory]:
    """Two queries per 500 accounts: each one's latest reconciliation (a window function ranks
    them), and the moment of the last balanced one."""
    latest: dict[uuid.UUID, Reconciliation] = {}
    balanced_at: dict[uuid.UUID, dt.datetime] = {}
    for chunk in chunked(account_ids):
        ranked = (
            select(
                Reconciliation.id,
                func.row_number()
                .over(
                    partition_by=Reconciliation.account_id,
                    order_by=(Reconciliation.created_at.desc(), Reconciliation.id.desc()),
                )
                .label("rank"),
            )
            .where(Reconciliation.user_id == user_id, Reconciliation.account_id.in_(chunk))
            .subquery()
        )
        for row in await session.scalars(
            select(Reconciliation)
            .join(ranked, ranked.c.id == Reconciliation.id)
            .where(ranked.c.rank == literal_column("1"))
        ):
            latest[row.account_id] = row
        balanced = await session.execute(
            select(Reconciliation.account_id, func.max(Reconciliation.created_at))
            .where(
                Reconciliation.user_id == user_id,
                Reconciliation.account_id.in_(chunk),
                Reconciliation.statement_balance_minor == Reconciliation.cleared_balance_minor,
            )
            .group_by(Reconciliation.account_id)
        )
        balanced_at.update((account_id, moment) for account_id, moment in balanced)
    return {
        account_id: ReconciliationHistory(latest.get(account_id), balanced_at.get(account_id))
        for account_id in account_ids
    }
