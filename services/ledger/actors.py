"""The ledger's Dramatiq actors (thin: parse the message, call the service)."""

from __future__ import annotations

import uuid

from services.ledger.imports.jobs import QUEUE, RUN_IMPORT_ACTOR
from services.ledger.imports.running import run_import_job
from shared.messaging import actor


@actor(QUEUE, max_retries=3, min_backoff_ms=5_000, time_limit_ms=15 * 60_000, throws=(ValueError,))
async def run_import(import_id: str) -> None:
    """Run a queued file import: read, match, stage in batches, publish in one transaction.

    Idempotent: a finished import is left alone; a redelivered message takes over from a run
    that died and starts it again (nothing of the dead run was published). A malformed id
    (ValueError) is not retried. Each run opens its own units of work.
    """
    await run_import_job(uuid.UUID(import_id))


# The service sends the job by this name: a mismatch would strand every import.
if run_import.actor_name != RUN_IMPORT_ACTOR:
    raise RuntimeError("the ledger sends imports to an actor of another name")
