"""Reconciling an account against a bank statement: the user marks the transactions the
statement shows as cleared, and the cleared balance is compared with the statement's.

The cleared balance is the balance less every transaction not cleared yet; the difference
is the statement's balance less it, in the account's currency (zero: the account agrees with
the statement). Clearing changes no amount, date or category, so nothing is announced.
A pending bank transaction is never cleared: the bank may still change its amount or drop
it, and a statement never shows it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from services.ledger import rows
from services.ledger.accounts import repository
from services.ledger.accounts.service import (
    ReconciliationHistory,
    cleared_balance_of,
    require_account,
)
from services.ledger.models import Account, Reconciliation, Transaction
from services.ledger.periods import check_date
from shared.clock import today, utcnow
from shared.db import UnitOfWork
from shared.errors import BadUserInput, NotFound
from shared.money import Money

# Transactions one request may mark by id.
MAX_IDS = 500

PENDING_REFUSED = (
    "holds a pending bank transaction: the bank may still change its amount or drop it, so "
    "it can be cleared once it has posted"
)


@dataclass(frozen=True)
class ReconciliationResult:
    account: Account
    reconciliation: Reconciliation
    newly_cleared: int

    @property
    def difference(self) -> Money:
        return difference_of(self.reconciliation)


def difference_of(reconciliation: Reconciliation) -> Money:
    """The statement's balance less the cleared balance: zero when they agree."""
    return Money(
        reconciliation.statement_balance_minor - reconciliation.cleared_balance_minor,
        reconciliation.currency,
    )


async def reconcile_account(
    work: UnitOfWork,
    user_id: uuid.UUID,
    account_id: uuid.UUID,
    *,
    statement_date: dt.date,
    statement_balance: Decimal,
    transaction_ids: Sequence[uuid.UUID] | None,
    as_of: dt.date | None = None,
) -> ReconciliationResult:
    """Mark cleared what the statement shows, then record the reconciliation.

    With `transaction_ids`, those (the user's, in this account, posted) are cleared; without,
    every uncleared posted transaction dated up to the statement's date. The reconciliation
    is recorded whatever the difference, so the user sees what is left to find.
    """
    session = work.session
    account = await require_account(session, user_id, account_id)
    day = check_date(statement_date, "input.statementDate")
    if day > (as_of or today()):
        raise BadUserInput("input.statementDate", "must not be in the future")
    balance = Money.parse(statement_balance, account.currency, "input.statementBalance")
    moment = utcnow()
    if transaction_ids is None:
        newly_cleared = await repository.clear_up_to(session, account, day, moment)
    else:
        found = await _owned(session, user_id, transaction_ids, "input.transactionIds")
        for row in found:
            if row.account_id != account.id:
                raise BadUserInput("input.transactionIds", "names a transaction of another account")
            if row.pending:
                raise BadUserInput("input.transactionIds", PENDING_REFUSED)
        newly_cleared = _mark(found, cleared=True, moment=moment)
    await session.flush()
    sums = await repository.sums_with_cleared_by_account(session, user_id, [account.id])
    cleared = cleared_balance_of(account, sums.get(account.id, repository.AccountSums(0, 0)))
    reconciliation = Reconciliation(
        user_id=user_id,
        account_id=account.id,
        statement_date=day,
        statement_balance_minor=balance.minor,
        cleared_balance_minor=cleared.minor,
        currency=account.currency,
        created_at=moment,
    )
    rows.add(session, reconciliation)
    await session.flush()
    return ReconciliationResult(account, reconciliation, newly_cleared)


async def set_transactions_cleared(
    work: UnitOfWork, user_id: uuid.UUID, transaction_ids: Sequence[uuid.UUID], cleared: bool
) -> list[Transaction]:
    """Mark the user's transactions cleared or not, in the order given. Another user's id is
    NOT_FOUND (and nothing changes); a pending bank transaction cannot be cleared."""
    found = await _owned(work.session, user_id, transaction_ids, "input.ids")
    if cleared and any(row.pending for row in found):
        raise BadUserInput("input.ids", PENDING_REFUSED)
    _mark(found, cleared=cleared, moment=utcnow())
    await work.session.flush()
    return found


async def _owned(
    session: AsyncSession, user_id: uuid.UUID, ids: Sequence[uuid.UUID], field: str
) -> list[Transaction]:
    """The user's transactions of `ids`, in their order (repeats once); NOT_FOUND if any is
    not theirs."""
    wanted = list(dict.fromkeys(ids))
    if len(wanted) > MAX_IDS:
        raise BadUserInput(field, f"must name at most {MAX_IDS} transactions")
    found = {row.id: row for row in await rows.owned_by_ids(session, Transaction, user_id, wanted)}
    if len(found) != len(wanted):
        raise NotFound("Transaction")
    return [found[transaction_id] for transaction_id in wanted]


def _mark(transactions: Sequence[Transaction], *, cleared: bool, moment: dt.datetime) -> int:
    """Set the flag where it differs; how many changed. A transaction cleared already keeps
    the moment it was."""
    changed = 0
    for row in transactions:
        if row.cleared != cleared:
            row.cleared = cleared
            row.cleared_at = moment if cleared else None
            changed += 1
    return changed


async def reconciliation_histories(
    session: AsyncSession, user_id: uuid.UUID, account_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, ReconciliationHistory]:
    """Each account's latest reconciliation and the moment the last one balanced."""
    return await repository.reconciliation_histories(session, user_id, account_ids)
