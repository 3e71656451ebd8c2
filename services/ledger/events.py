"""What the ledger announces to other services, always after commit.

The ledger names its events and their payloads; it never names who listens (a consumer
subscribes in its own api.py, and the composition root registers it: see shared.events).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

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
    ids = sorted({str(transaction_id) for transaction_id in transaction_ids})
    if not ids:
        return
    months = sorted({month_of(day) for day in days})
    events.announce(
        work, TRANSACTIONS_CHANGED, user_id=str(user_id), transaction_ids=ids, months=months
    )
