"""Dramatiq actors of the ledger (thin: one unit of work, one service call)."""

from __future__ import annotations

from typing import Any

from services.ledger import api
from shared.db import unit_of_work
from shared.messaging import actor

LEDGER_QUEUE = "ledger"


@actor(LEDGER_QUEUE, max_retries=8, throws=(api.BankDataError,))
async def ingest_bank_transactions(batch: dict[str, Any]) -> None:
    """Apply one sync run's changes (a batch encoded by `api.batch_to_json`).

    Idempotent: a redelivered message changes nothing. Malformed or contract-breaking bank
    data is not retried (the same data would fail again); database errors are.
    """
    decoded = api.batch_from_json(batch)
    async with unit_of_work() as work:
        await api.ingest_bank_transactions(work, decoded)
