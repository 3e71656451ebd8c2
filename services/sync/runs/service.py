"""Sync runs: /transactions/sync from an item's cursor into the ledger, and what asks for one.

No database transaction is held while Plaid is called (a call may take seconds, and on SQLite a
write transaction locks the whole database): a run reads, talks to Plaid, then writes in short
units of work of its own.

A run stores each page of /transactions/sync as it arrives, in ONE unit of work that moves the
cursor to the page's (a compare-and-set against where the item stood) and hands the page's
changes to the ledger. So the cursor is never ahead of what is stored, a crash anywhere leaves
a cursor with exactly the rows it covers, the next run goes on from there, and a run holds one
page in memory whatever the size of the item (a first sync of 100,000 transactions is 200
short transactions, not one that holds them all). The ledger's ingest is idempotent, so
at-least-once delivery of jobs is enough.

Plaid's pages of one update belong together: when the data changes during pagination, Plaid
answers TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION and the pagination must start again from
the cursor it started from. Pages already stored are not undone (the ledger cannot take back
one page and not another: a pending row posted in place, a tombstone used). The new pass goes
over the whole update again from the start cursor and brings every transaction it reports to
its present state (re-ingesting what a page stored is a no-op). What it may not say is that a
transaction an earlier pass added has gone meanwhile: it reports changes since its start
cursor, and one that came and went after it need not appear. So while a pagination is in
progress the item keeps its start cursor and pass (a crashed or abandoned run is continued, or
started again, by the next), and which transactions its stored pages reported
(sync_pagination_reports); with the last page of a pass that started again, those an earlier
pass added and the last pass never reported are removed from the ledger, as Plaid would have
said had the run fetched everything again before storing anything.

Of two concurrent runs of one item, one stores each page: the other finds the item moved. If a
pagination is in progress, it stops (the run paging will see any change, which makes Plaid
start its pagination again); if not, it goes on from the stored cursor (the data it fetched may
hold changes the other run had not seen).
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from services.ledger import api as ledger
from services.sync.health.service import set_item_status, status_for_plaid_error
from services.sync.jobs import enqueue_sync
from services.sync.linking import repository as items
from services.sync.models import ItemStatus, LinkedItem
from services.sync.plaid import client as plaid_client
from services.sync.plaid.errors import PlaidError
from services.sync.plaid.records import SyncPage
from services.sync.runs import repository
from services.sync.runs.pages import PageChanges, page_changes
from services.sync.runs.repository import Position
from shared.clock import utcnow
from shared.crypto import decrypt
from shared.db import UnitOfWork, read_session, unit_of_work
from shared.errors import NotFound
from shared.logging import get_logger

log = get_logger(__name__)

DEFAULT_PAGE_SIZE = plaid_client.MAX_SYNC_PAGE_SIZE
# Restarts after TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION, and continuations after losing
# the cursor to a concurrent run, per sync run; past them the job fails and Dramatiq retries
# (from where the stored pages left the item).
MAX_PAGINATION_RESTARTS = 5
MAX_SUPERSEDED_CONTINUATIONS = 3
# Plaid refreshes an item's transactions one to four times a day.
SCHEDULED_SYNC_INTERVAL = dt.timedelta(hours=6)
SCHEDULED_SYNC_BATCH = 1_000

MUTATION_DURING_PAGINATION = "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION"
NOTHING_STORED = ledger.IngestResult(added=0, updated=0, removed=0)
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
    """How a sync run ended: synced, superseded (another run is storing the item's pages),
    login_required, error or missing (item deleted); what it stored, over how many pages."""

    outcome: str
    added: int = 0
    updated: int = 0
    removed: int = 0
    pages: int = 0
    restarts: int = 0


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
    of the item, is recorded as its status instead and not retried. The pages stored before
    any of these stay stored.
    """
    started = time.monotonic()
    async with read_session() as session:
        item = await items.get_item(session, item_id)
    if item is None:
        log.info("sync.item_missing", item_id=str(item_id))
        return SyncResult("missing")
    run = _SyncRun(item, decrypt(item.access_token_encrypted), page_size)
    result = await run.to_the_end(between_pages)
    log.info(
        "sync.finished",
        item_id=str(item_id),
        outcome=result.outcome,
        added=result.added,
        updated=result.updated,
        removed=result.removed,
        pages=result.pages,
        restarts=result.restarts,
        seconds=round(time.monotonic() - started, 3),
    )
    return result


class _SyncRun:
    """One run over an item: pages fetched from where the item stands, each stored at once."""

    def __init__(self, item: LinkedItem, access_token: str, page_size: int) -> None:
        self.item = item
        self.access_token = access_token
        self.page_size = page_size
        self.position = Position.of(item)  # as stored (the compare-and-set's expectation)
        self.fetch_from = self.position.cursor
        # The next page stored begins a new pass of the pagination in progress.
        self.new_pass = False
        self.counts = dict.fromkeys(("added", "updated", "removed", "pages"), 0)
        self.restarts = 0
        self.continuations = 0

    def result(self, outcome: str) -> SyncResult:
        return SyncResult(outcome, **self.counts, restarts=self.restarts)

    async def to_the_end(self, between_pages: BetweenPages | None) -> SyncResult:
        while True:
            fetch_started_at = utcnow()
            try:
                page = await plaid_client.sync_transactions_page(
                    self.access_token, self.fetch_from, self.page_size
                )
            except PlaidError as error:
                if error.error_code != MUTATION_DURING_PAGINATION:
                    return await _record_failure(self.item, error, self.restarts, fetch_started_at)
                self._start_again()
                continue
            if not page.next_cursor:
                raise SyncNotReady(str(self.item.id))
            try:
                stored = await self._store(page, fetch_started_at)
            except ledger.BankDataError as error:
                return await _refuse(self.item.id, error, self.restarts, fetch_started_at)
            if not stored:
                ended = await self._after_another_run()
                if ended is not None:
                    return ended
                continue
            if not page.has_more:
                return self.result("synced")
            self.fetch_from = page.next_cursor
            if between_pages is not None:
                await between_pages(self.counts["pages"])

    def _start_again(self) -> None:
        """Plaid's data changed during pagination: start again from the pagination's start."""
        self.restarts += 1
        log.info("sync.pagination_restarted", item_id=str(self.item.id), restarts=self.restarts)
        if self.restarts > MAX_PAGINATION_RESTARTS:
            raise SyncRestartsExhausted(str(self.item.id))
        if self.position.paginating:
            self.fetch_from = self.position.start_cursor
            self.new_pass = True
        else:
            self.fetch_from = self.position.cursor

    def _next_position(self, page: SyncPage) -> Position:
        if not page.has_more:
            return Position(page.next_cursor)
        if not self.position.paginating:
            return Position(page.next_cursor, 0, self.fetch_from)
        return Position(page.next_cursor, self._pass_of_page(), self.position.start_cursor)

    def _pass_of_page(self) -> int:
        """The pass the page being stored belongs to (the pagination is in progress)."""
        assert self.position.pass_number is not None
        return self.position.pass_number + (1 if self.new_pass else 0)

    async def _store(self, page: SyncPage, fetch_started_at: dt.datetime) -> bool:
        """The page and its cursor in one unit of work; False if the item had moved."""
        changes = page_changes(page, self.item.user_id, self.item.id)
        new = self._next_position(page)
        async with unit_of_work() as work:
            moved = await repository.advance(
                work.session,
                self.item.id,
                expected=self.position,
                new=new,
                run_started_at=fetch_started_at,
            )
            if not moved:
                return False
            result = await self._ingest(work, changes, new)
        self.position, self.new_pass = new, False
        self.counts["pages"] += 1
        self.counts["added"] += result.added
        self.counts["updated"] += result.updated
        self.counts["removed"] += result.removed
        return True

    async def _ingest(
        self, work: UnitOfWork, changes: PageChanges, new: Position
    ) -> ledger.IngestResult:
        user_id, item_id = self.item.user_id, self.item.id
        if changes.accounts:
            await ledger.upsert_bank_accounts(work, user_id, item_id, changes.accounts)
        result = NOTHING_STORED
        if changes.has_changes:
            result = await ledger.ingest_bank_transactions(work, changes.batch)
        if new.pass_number is not None:
            await repository.record_reports(
                work.session, item_id, changes.reported, new.pass_number
            )
        elif self.position.paginating:  # this page ends the pagination
            if self._pass_of_page() > 0:
                gone = await self._remove_gone(work, set(changes.reported))
                result = replace(result, removed=result.removed + gone)
            await repository.forget_reports(work.session, item_id)
        return result

    async def _remove_gone(self, work: UnitOfWork, reported_last: set[str]) -> int:
        """Remove what an earlier pass added and the last pass never reported; how many."""
        removed, after = 0, ""
        last_pass = self._pass_of_page()
        while chunk := await repository.added_and_unreported_since(
            work.session, self.item.id, last_pass, after=after
        ):
            after = chunk[-1]
            gone = tuple(provider_id for provider_id in chunk if provider_id not in reported_last)
            if gone:
                batch = ledger.BankTransactionBatch(
                    user_id=self.item.user_id, item_ref=self.item.id, removed=gone
                )
                removed += (await ledger.ingest_bank_transactions(work, batch)).removed
        if removed:
            log.info("sync.gone_during_pagination", item_id=str(self.item.id), removed=removed)
        return removed

    async def _after_another_run(self) -> SyncResult | None:
        """Another run stored a page first: stop (it is paging), or go on from its cursor."""
        async with read_session() as session:
            latest = await items.get_item(session, self.item.id)
        if latest is None:
            return self.result("missing")
        position = Position.of(latest)
        if position.paginating:
            log.info("sync.superseded", item_id=str(self.item.id))
            return self.result("superseded")
        self.continuations += 1
        log.info("sync.continued", item_id=str(self.item.id), continuations=self.continuations)
        if self.continuations > MAX_SUPERSEDED_CONTINUATIONS:
            raise SyncRestartsExhausted(str(self.item.id))
        self.position, self.fetch_from, self.new_pass = position, position.cursor, False
        return None


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
