"""Sync runs: /transactions/sync from an item's cursor into the ledger, and what asks for one.

No database transaction is held while Plaid is called (a call may take seconds, and on SQLite a
write transaction locks the whole database): a run reads, talks to Plaid, then writes in one
short unit of work of its own.

A sync run pages /transactions/sync from the stored cursor to the end of the update, then in ONE
unit of work moves the cursor (compare-and-set against the cursor the run started from) and
hands the whole update to the ledger. So the cursor is never ahead of what is stored, a crash
anywhere leaves the old cursor and the old rows, and of two concurrent runs of one item only
one applies its update; the other continues from the winner's cursor. The ledger's ingest is
idempotent, so at-least-once delivery of jobs is enough.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from services.ledger import api as ledger
from services.sync.health.service import set_item_status, status_for_plaid_error
from services.sync.jobs import enqueue_sync
from services.sync.linking import repository as items
from services.sync.models import ItemStatus, LinkedItem
from services.sync.plaid import client as plaid_client
from services.sync.plaid.errors import PlaidError
from services.sync.runs import repository
from services.sync.runs.bank_update import BankUpdate
from shared.clock import utcnow
from shared.crypto import decrypt
from shared.db import read_session, unit_of_work
from shared.errors import NotFound
from shared.logging import get_logger

log = get_logger(__name__)

DEFAULT_PAGE_SIZE = plaid_client.MAX_SYNC_PAGE_SIZE
# Restarts after TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION, and continuations after losing
# the cursor to a concurrent run, per sync run; past them the job fails and Dramatiq retries.
MAX_PAGINATION_RESTARTS = 5
MAX_SUPERSEDED_CONTINUATIONS = 3
# Plaid refreshes an item's transactions one to four times a day.
SCHEDULED_SYNC_INTERVAL = dt.timedelta(hours=6)
SCHEDULED_SYNC_BATCH = 1_000

MUTATION_DURING_PAGINATION = "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION"
BANK_DATA_REFUSED = "BANK_DATA_REFUSED"
# Plaid answers these while an item's data is still being prepared: try again later.
NOT_READY_CODES = frozenset({"PRODUCT_NOT_READY", "ITEM_PRODUCT_NOT_READY"})

# Called after each page that has more to come (tests change the bank data there).
BetweenPages = Callable[[int], Awaitable[None]]


class SyncNotReady(Exception):
    """Plaid has no cursor for the item yet (data still being prepared): retry later."""


class SyncRestartsExhausted(Exception):
    """The item's data kept changing during pagination: retry the whole run later."""


async def request_sync(user_id: uuid.UUID, item_id: uuid.UUID) -> LinkedItem:
    """Enqueue a sync of the user's item (NotFound for anyone else's)."""
    async with read_session() as session:
        item = await items.get_user_item(session, user_id, item_id)
    if item is None:
        raise NotFound("LinkedInstitution")
    await enqueue_sync(item.id)
    return item


async def enqueue_due_syncs(
    *, interval: dt.timedelta = SCHEDULED_SYNC_INTERVAL, limit: int = SCHEDULED_SYNC_BATCH
) -> int:
    """Enqueue a sync of every healthy item not synced within `interval`; how many.

    Webhooks drive syncs; this is the safety net for a webhook that never arrived.
    """
    async with read_session() as session:
        due = await repository.due_item_ids(session, synced_before=utcnow() - interval, limit=limit)
    for item_id in due:
        await enqueue_sync(item_id)
    return len(due)


@dataclass(frozen=True)
class SyncResult:
    """How a sync run ended: synced, login_required, error or missing (item deleted)."""

    outcome: str
    added: int = 0
    updated: int = 0
    removed: int = 0
    pages: int = 0
    restarts: int = 0


async def fetch_update(
    access_token: str,
    cursor: str | None,
    *,
    page_size: int = DEFAULT_PAGE_SIZE,
    between_pages: BetweenPages | None = None,
) -> BankUpdate:
    """Page /transactions/sync from `cursor` to the end of the update.

    Raises PlaidError as Plaid answered (TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION
    included: the caller restarts from `cursor`).
    """
    update = BankUpdate()
    page_cursor = cursor
    while True:
        page = await plaid_client.sync_transactions_page(access_token, page_cursor, page_size)
        update.add_page(page)
        if not page.has_more or not update.next_cursor:
            return update
        page_cursor = update.next_cursor
        if between_pages is not None:
            await between_pages(update.pages)


async def sync_linked_item(
    item_id: uuid.UUID,
    *,
    page_size: int = DEFAULT_PAGE_SIZE,
    between_pages: BetweenPages | None = None,
) -> SyncResult:
    """Bring the ledger up to date with Plaid for one item (idempotent; safe to run twice).

    Raises for what time may cure, so the job is retried with backoff: rate limits, Plaid's
    5xx and unreachable network (PlaidError), data not ready yet (SyncNotReady), data that
    kept changing (SyncRestartsExhausted). A login the bank wants renewed, or another refusal
    of the item, is recorded as its status instead and not retried.
    """
    started = time.monotonic()
    async with read_session() as session:
        item = await items.get_item(session, item_id)
    if item is None:
        log.info("sync.item_missing", item_id=str(item_id))
        return SyncResult("missing")
    access_token = decrypt(item.access_token_encrypted)
    restarts = 0
    continuations = 0
    start_cursor = item.cursor
    while True:
        fetch_started_at = utcnow()
        try:
            update = await fetch_update(
                access_token, start_cursor, page_size=page_size, between_pages=between_pages
            )
        except ledger.BankDataError as error:
            return await _refuse(item_id, error, restarts, fetch_started_at)
        except PlaidError as error:
            if error.error_code == MUTATION_DURING_PAGINATION:
                restarts += 1
                log.info("sync.pagination_restarted", item_id=str(item_id), restarts=restarts)
                if restarts > MAX_PAGINATION_RESTARTS:
                    raise SyncRestartsExhausted(str(item_id)) from None
                continue
            return await _record_failure(item, error, restarts, fetch_started_at)
        if not update.next_cursor:
            raise SyncNotReady(str(item_id))
        try:
            applied = await _apply_update(item, start_cursor, update, fetch_started_at)
        except ledger.BankDataError as error:
            return await _refuse(item_id, error, restarts, fetch_started_at)
        if applied is not None:
            log.info(
                "sync.completed",
                item_id=str(item_id),
                added=applied.added,
                updated=applied.updated,
                removed=applied.removed,
                pages=update.pages,
                restarts=restarts,
                seconds=round(time.monotonic() - started, 3),
            )
            return SyncResult(
                "synced", applied.added, applied.updated, applied.removed, update.pages, restarts
            )
        # Another run stored its update first: continue from its cursor, as the data this
        # run fetched may hold changes that run had not seen.
        continuations += 1
        async with read_session() as session:
            latest = await items.get_item(session, item_id)
        if latest is None:
            return SyncResult("missing")
        log.info("sync.superseded", item_id=str(item_id), continuations=continuations)
        if continuations > MAX_SUPERSEDED_CONTINUATIONS:
            raise SyncRestartsExhausted(str(item_id))
        start_cursor = latest.cursor


async def _refuse(
    item_id: uuid.UUID, error: Exception, restarts: int, fetch_started_at: dt.datetime
) -> SyncResult:
    """Data the ledger cannot take stays so however often it is retried: the item stops with
    the reason as its status, and its cursor stays (a later sync, e.g. once Tally supports the
    data, tries again from there). Nothing is skipped."""
    code = getattr(error, "error_code", BANK_DATA_REFUSED)
    log.error("sync.bank_data_refused", item_id=str(item_id), code=code, error=str(error)[:300])
    await set_item_status(item_id, ItemStatus.ERROR, code, observed_at=fetch_started_at)
    return SyncResult("error", restarts=restarts)


async def _apply_update(
    item: LinkedItem, start_cursor: str | None, update: BankUpdate, run_started_at: dt.datetime
) -> ledger.IngestResult | None:
    """Store the update and its cursor together; None if the cursor had moved meanwhile."""
    async with unit_of_work() as work:
        moved = await repository.advance_cursor(
            work.session,
            item.id,
            expected=start_cursor,
            new=update.next_cursor,
            run_started_at=run_started_at,
        )
        if not moved:
            return None
        if update.accounts:
            await ledger.upsert_bank_accounts(work, item.user_id, item.id, update.accounts)
        if not update.has_changes:
            return ledger.IngestResult(added=0, updated=0, removed=0)
        return await ledger.ingest_bank_transactions(work, update.batch(item.user_id, item.id))


async def _record_failure(
    item: LinkedItem, error: PlaidError, restarts: int, fetch_started_at: dt.datetime
) -> SyncResult:
    log.warning(
        "sync.plaid_error",
        item_id=str(item.id),
        status=error.status,
        error_type=error.error_type,
        error_code=error.error_code,
        plaid_request_id=error.request_id,
    )
    if error.retryable:
        raise error
    if error.error_code in NOT_READY_CODES:
        raise SyncNotReady(str(item.id)) from error
    status = status_for_plaid_error(error.error_code)
    # A webhook or a successful run after this fetch started knows better: keep what it said.
    await set_item_status(item.id, status, error.error_code, observed_at=fetch_started_at)
    outcome = "login_required" if status == ItemStatus.LOGIN_REQUIRED else "error"
    return SyncResult(outcome, restarts=restarts)
