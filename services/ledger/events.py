"""What the ledger announces to other services, always after commit."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from services.ledger.periods import month_of
from shared.db import UnitOfWork
from shared.messaging import message, send_after_commit

# The notifier's queue and actor for "a user's transactions changed" (re-exported by api.py).
TRANSACTIONS_CHANGED_QUEUE = "notifier"
TRANSACTIONS_CHANGED_ACTOR = "on_transactions_changed"


def announce_transactions_changed(
    work: UnitOfWork,
    user_id: uuid.UUID,
    transaction_ids: Iterable[uuid.UUID],
    days: Iterable[dt.date],
) -> None:
    """Tell the notifier, once `work` commits, which transactions and months changed.

    Deleted transactions are included: the notifier finds them absent and re-evaluates the
    months, which is what matters for budgets.
    """
    ids = sorted({str(transaction_id) for transaction_id in transaction_ids})
    if not ids:
        return
    months = sorted({month_of(day) for day in days})
    send_after_commit(
        work,
        message(
            TRANSACTIONS_CHANGED_QUEUE,
            TRANSACTIONS_CHANGED_ACTOR,
            user_id=str(user_id),
            transaction_ids=ids,
            months=months,
        ),
    )
