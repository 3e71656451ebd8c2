"""What the ledger announces to other services, always after commit.

The ledger names its events and their payloads; it never names who listens (a consumer
subscribes in its own api.py, and the composition root registers it: see shared.events).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass

from services.ledger.periods import month_of
from shared import events
from shared.db import UnitOfWork

# A user's transactions changed (manual writes and bank ingest alike). Payload:
# {"user_id": str, "transaction_ids": [str, ...], "months": ["YYYY-MM", ...]}.
TRANSACTIONS_CHANGED = "ledger.transactions_changed"


def announce_transactions_changed(
    work: UnitOfWork,
    user_id: uuid.UUID,
    transaction_ids: Iterable[uuid.UUID],
    days: Iterable[dt.date],
) -> None:
    """Announce, once `work` commits, which of the user's transactions and months changed.

    Deleted transactions are included: a listener finds them absent and still learns which
    months changed (what matters for budgets).
    """
    transaction_ids = list(transaction_ids)
    ids = sorted({str(transaction_id) for transaction_id in transaction_ids})
    if not ids:
        return
    days = list(days)
    transactions_regrouped(work, user_id, days, transaction_ids=transaction_ids)
    months = sorted({month_of(day) for day in days})
    events.announce(
        work, TRANSACTIONS_CHANGED, user_id=str(user_id), transaction_ids=ids, months=months
    )


# --- within the ledger ----------------------------------------------------------------------
# What the ledger derives from transactions inside the same unit of work (the report totals,
# reports/totals_upkeep.py) listens here: this module sits below the aggregates that write
# transactions, so they call it, and the listener registers itself from above
# (services/ledger/__init__.py imports it, so no process writes without it).


@dataclass(frozen=True)
class LedgerListener:
    # The user's transactions dated on these days (before and after the change) changed in
    # amount, date, category, payee, split or transfer link, or were added or deleted: those
    # named (None: the writer did not say which).
    days_changed: Callable[[UnitOfWork, uuid.UUID, list[uuid.UUID] | None, list[dt.date]], None]
    # These transactions are about to change or go (their rows are not written yet), or are
    # new: listeners that follow them by difference read them before, and again at commit.
    changing: Callable[[UnitOfWork, uuid.UUID, list[uuid.UUID]], Awaitable[None]]
    added: Callable[[UnitOfWork, uuid.UUID, list[uuid.UUID]], None]
    # Payees merged into a target (or gone: None); the transactions already point there.
    payees_replaced: Callable[
        [UnitOfWork, uuid.UUID, Sequence[uuid.UUID], uuid.UUID | None], Awaitable[None]
    ]


_listeners: list[LedgerListener] = []


def listen(listener: LedgerListener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def transactions_regrouped(
    work: UnitOfWork,
    user_id: uuid.UUID,
    days: Iterable[dt.date],
    *,
    transaction_ids: Iterable[uuid.UUID] | None = None,
) -> None:
    """Tell the ledger's own listeners (not other services) that the user's transactions on
    these days changed (`transaction_ids`: which ones, when the writer knows): every
    announcement of changed transactions does, and so does a change other services do not
    hear of (a new payee on a transaction)."""
    changed = list(days)
    if not changed:
        return
    ids = list(transaction_ids) if transaction_ids is not None else None
    for listener in _listeners:
        listener.days_changed(work, user_id, ids, changed)


async def transactions_changing(
    work: UnitOfWork, user_id: uuid.UUID, transaction_ids: Iterable[uuid.UUID]
) -> None:
    """Call before a change to these transactions of the user is written (flushed), or before
    they are deleted: the ledger's own listeners take what they count for now, and follow
    them to commit (on PostgreSQL their rows stay locked until then). Still announce the
    change as usual."""
    ids = list(transaction_ids)
    if not ids:
        return
    for listener in _listeners:
        await listener.changing(work, user_id, ids)


def transactions_added(
    work: UnitOfWork, user_id: uuid.UUID, transaction_ids: Iterable[uuid.UUID]
) -> None:
    """These transactions of the user are new in `work`: the ledger's own listeners follow
    them to commit. Still announce them as usual."""
    ids = list(transaction_ids)
    if not ids:
        return
    for listener in _listeners:
        listener.added(work, user_id, ids)


async def payees_replaced(
    work: UnitOfWork, user_id: uuid.UUID, sources: Sequence[uuid.UUID], target: uuid.UUID | None
) -> None:
    for listener in _listeners:
        await listener.payees_replaced(work, user_id, sources, target)
