"""The rules of bank sync: linking an item, running /transactions/sync, item health.

No database transaction is held while Plaid is called (a call may take seconds, and on SQLite a
write transaction locks the whole database): each function reads, talks to Plaid, then writes
in one short unit of work of its own.

A sync run pages /transactions/sync from the stored cursor to the end of the update, then in ONE
unit of work moves the cursor (compare-and-set against the cursor the run started from) and
hands the whole update to the ledger. So the cursor is never ahead of what is stored, a crash
anywhere leaves the old cursor and the old rows, and of two concurrent runs of one item only
one applies its update; the other continues from the winner's cursor. The ledger's ingest is
idempotent, so at-least-once delivery of jobs is enough.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from dramatiq import Message

from services.ledger import api as ledger
from services.sync import repository
from services.sync.models import ItemStatus, LinkedItem
from services.sync.plaid import client as plaid_client
from services.sync.plaid import mapping
from services.sync.plaid.errors import PlaidError
from services.sync.plaid.records import ExchangedItem, LinkToken, PlaidTransaction, SyncPage
from shared.clock import utcnow
from shared.config import get_settings
from shared.crypto import decrypt, encrypt
from shared.db import read_session, unit_of_work
from shared.errors import BadUserInput, Conflict, NotFound, TallyError, UpstreamError
from shared.logging import get_logger
from shared.messaging import message, send_after_commit, send_now
from shared.validation import clean_text

log = get_logger(__name__)

SYNC_QUEUE = "sync"
SYNC_ACTOR = "sync_item"
DEFAULT_PAGE_SIZE = plaid_client.MAX_SYNC_PAGE_SIZE
# Restarts after TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION, and continuations after losing
# the cursor to a concurrent run, per sync run; past them the job fails and Dramatiq retries.
MAX_PAGINATION_RESTARTS = 5
MAX_SUPERSEDED_CONTINUATIONS = 3
MAX_PUBLIC_TOKEN_LENGTH = 200
# Plaid refreshes an item's transactions one to four times a day.
SCHEDULED_SYNC_INTERVAL = dt.timedelta(hours=6)
SCHEDULED_SYNC_BATCH = 1_000
FALLBACK_INSTITUTION_NAME = "Bank"

MUTATION_DURING_PAGINATION = "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION"
ITEM_LOGIN_REQUIRED = "ITEM_LOGIN_REQUIRED"
BANK_DATA_REFUSED = "BANK_DATA_REFUSED"
INVALID_PUBLIC_TOKEN = "INVALID_PUBLIC_TOKEN"  # noqa: S105 - an error code, not a secret
# Plaid answers these while an item's data is still being prepared: try again later.
NOT_READY_CODES = frozenset({"PRODUCT_NOT_READY", "ITEM_PRODUCT_NOT_READY"})

# Called after each page that has more to come (tests change the bank data there).
BetweenPages = Callable[[int], Awaitable[None]]


class SyncNotReady(Exception):
    """Plaid has no cursor for the item yet (data still being prepared): retry later."""


class SyncRestartsExhausted(Exception):
    """The item's data kept changing during pagination: retry the whole run later."""


def sync_message(item_id: uuid.UUID) -> Message[Any]:
    return message(SYNC_QUEUE, SYNC_ACTOR, item_id=str(item_id))


def webhook_url() -> str:
    return f"{get_settings().public_url.rstrip('/')}/webhooks/plaid"


def _upstream_error(error: PlaidError, action: str) -> TallyError:
    """What the user sees of a Plaid failure: Plaid's own display message, never internals."""
    log.warning(
        "plaid.request_failed",
        action=action,
        status=error.status,
        error_type=error.error_type,
        error_code=error.error_code,
        plaid_request_id=error.request_id,
    )
    if error.status == 429 or error.error_type == "RATE_LIMIT_EXCEEDED":
        text = "The bank connection service is busy. Please try again in a minute."
    else:
        text = error.display_message or "The bank connection failed. Please try again later."
    return UpstreamError(text, plaidErrorCode=error.error_code)


# --- Linking ------------------------------------------------------------------------------


async def create_link_token(
    user_id: uuid.UUID, linked_item_id: uuid.UUID | None = None
) -> LinkToken:
    """A Link token for a new bank, or for signing in again to a linked one (update mode)."""
    access_token: str | None = None
    if linked_item_id is not None:
        async with read_session() as session:
            item = await repository.get_user_item(session, user_id, linked_item_id)
        if item is None:
            raise NotFound("LinkedInstitution")
        access_token = decrypt(item.access_token_encrypted)
    try:
        return await plaid_client.create_link_token(
            client_user_id=str(user_id), webhook=webhook_url(), access_token=access_token
        )
    except PlaidError as error:
        raise _upstream_error(error, "link_token_create") from None


async def link_institution(user_id: uuid.UUID, public_token: str) -> LinkedItem:
    """Exchange Link's public token and store the item with its accounts in one unit of work.

    A retried call with the same public token (single-use at Plaid) answers with the item it
    linked; linking a Plaid item that is already linked updates that item instead of adding
    another. The first sync is enqueued once everything is committed.
    """
    token = clean_text(public_token, "publicToken", max_length=MAX_PUBLIC_TOKEN_LENGTH)
    token_digest = hashlib.sha256(token.encode()).hexdigest()
    async with read_session() as session:
        already = await repository.find_by_public_token(session, user_id, token_digest)
    if already is not None:
        return already
    try:
        exchanged = await plaid_client.exchange_public_token(token)
    except PlaidError as error:
        if error.error_code == INVALID_PUBLIC_TOKEN:
            raise BadUserInput(
                "publicToken", "is invalid, expired or already used; link the bank again"
            ) from None
        raise _upstream_error(error, "item_public_token_exchange") from None
    async with read_session() as session:
        known = await repository.find_by_plaid_item_id(session, exchanged.item_id)
    try:
        return await _store_linked_item(user_id, exchanged, token_digest)
    except Exception:
        if known is None:
            # Nothing refers to the new item: don't leave it orphaned (and billed) at Plaid.
            await _remove_orphan(exchanged.access_token)
        raise


async def _store_linked_item(
    user_id: uuid.UUID, exchanged: ExchangedItem, token_digest: str
) -> LinkedItem:
    try:
        info = await plaid_client.get_item(exchanged.access_token)
        name = info.institution_name
        if not name and info.institution_id:
            name = await plaid_client.get_institution_name(info.institution_id)
        plaid_accounts = await plaid_client.get_accounts(exchanged.access_token)
    except PlaidError as error:
        raise _upstream_error(error, "link_item_details") from None
    accounts = [account for account in map(mapping.bank_account, plaid_accounts) if account]
    encrypted_token = encrypt(exchanged.access_token)
    async with unit_of_work() as work:
        await repository.insert_item_unless_linked(
            work.session,
            user_id=user_id,
            plaid_item_id=exchanged.item_id,
            access_token_encrypted=encrypted_token,
            public_token_sha256=token_digest,
            institution_id=info.institution_id,
            institution_name=(name or FALLBACK_INSTITUTION_NAME)[:200],
            status=ItemStatus.HEALTHY,
        )
        item = await repository.find_by_plaid_item_id(work.session, exchanged.item_id)
        if item is None:
            raise RuntimeError("the linked item vanished inside its own transaction")
        if item.user_id != user_id:
            raise Conflict("This bank login is already linked to another Tally account.")
        # Linking again (a new Link session for the same login) refreshes the item: the new
        # access token works, so the item is healthy.
        item.access_token_encrypted = encrypted_token
        item.public_token_sha256 = token_digest
        item.institution_id = info.institution_id
        item.institution_name = (name or item.institution_name)[:200]
        item.status = ItemStatus.HEALTHY
        item.error_code = None
        item.updated_at = utcnow()
        await ledger.upsert_bank_accounts(work, user_id, item.id, accounts)
        send_after_commit(work, sync_message(item.id))
    log.info("sync.item_linked", item_id=str(item.id), accounts=len(accounts))
    return item


async def _remove_orphan(access_token: str) -> None:
    try:
        await plaid_client.remove_item(access_token)
    except PlaidError as error:
        log.warning("sync.orphan_item_not_removed", error_code=error.error_code)


async def list_linked_items(user_id: uuid.UUID) -> Sequence[LinkedItem]:
    async with read_session() as session:
        return await repository.list_user_items(session, user_id)


async def request_sync(user_id: uuid.UUID, item_id: uuid.UUID) -> LinkedItem:
    """Enqueue a sync of the user's item (NotFound for anyone else's)."""
    async with read_session() as session:
        item = await repository.get_user_item(session, user_id, item_id)
    if item is None:
        raise NotFound("LinkedInstitution")
    await send_now(sync_message(item.id))
    return item


# --- Item health (from webhooks and sync errors) -------------------------------------------


async def item_id_for_plaid_item(plaid_item_id: str) -> uuid.UUID | None:
    async with read_session() as session:
        item = await repository.find_by_plaid_item_id(session, plaid_item_id)
    return item.id if item else None


async def set_item_status(
    item_id: uuid.UUID,
    status: str,
    error_code: str | None,
    *,
    observed_at: dt.datetime | None = None,
) -> None:
    """Record an item's health; with `observed_at`, unless the item changed after that."""
    async with unit_of_work() as work:
        updated = await repository.update_item(
            work.session,
            item_id,
            unchanged_since=observed_at,
            status=status,
            error_code=error_code,
        )
    if updated:
        log.info("sync.item_status", item_id=str(item_id), status=status, error_code=error_code)


async def enqueue_sync(item_id: uuid.UUID) -> None:
    await send_now(sync_message(item_id))


async def enqueue_due_syncs(
    *, interval: dt.timedelta = SCHEDULED_SYNC_INTERVAL, limit: int = SCHEDULED_SYNC_BATCH
) -> int:
    """Enqueue a sync of every healthy item not synced within `interval`; how many.

    Webhooks drive syncs; this is the safety net for a webhook that never arrived.
    """
    async with read_session() as session:
        due = await repository.due_item_ids(session, synced_before=utcnow() - interval, limit=limit)
    for item_id in due:
        await send_now(sync_message(item_id))
    return len(due)


# --- Sync runs ------------------------------------------------------------------------------


@dataclass
class BankUpdate:
    """Everything one pagination of /transactions/sync reported, folded per transaction.

    A transaction may show up on several pages of one update (added, then modified or
    removed); the ledger gets each id once, in its last state.
    """

    next_cursor: str = ""
    accounts: list[ledger.BankAccount] = field(default_factory=list)
    pages: int = 0
    _changes: dict[str, tuple[str, ledger.BankTransaction | None]] = field(default_factory=dict)

    def add_page(self, page: SyncPage) -> None:
        self.pages += 1
        self.next_cursor = page.next_cursor
        self.accounts = [a for a in map(mapping.bank_account, page.accounts) if a]
        for transaction in page.added:
            self._upsert(transaction, "added")
        for transaction in page.modified:
            self._upsert(transaction, "modified")
        for transaction_id in page.removed:
            self._changes[transaction_id] = ("removed", None)

    def _upsert(self, transaction: PlaidTransaction, kind: str) -> None:
        converted = mapping.bank_transaction(transaction)
        if converted is None:
            return
        previous = self._changes.get(converted.provider_transaction_id)
        if previous is not None and previous[0] == "added":
            kind = "added"
        self._changes[converted.provider_transaction_id] = (kind, converted)

    def batch(self, user_id: uuid.UUID, item_ref: uuid.UUID) -> ledger.BankTransactionBatch:
        added = [t for kind, t in self._changes.values() if kind == "added" and t]
        modified = [t for kind, t in self._changes.values() if kind == "modified" and t]
        removed = [tid for tid, (kind, _) in self._changes.items() if kind == "removed"]
        return ledger.BankTransactionBatch(
            user_id=user_id,
            item_ref=item_ref,
            added=tuple(added),
            modified=tuple(modified),
            removed=tuple(removed),
        )

    @property
    def has_changes(self) -> bool:
        return bool(self._changes)


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
        item = await repository.get_item(session, item_id)
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
            # Data the ledger refuses stays refused however often it is retried: record it on
            # the item (a later sync, e.g. after a fix, tries again from the same cursor).
            log.error("sync.bank_data_refused", item_id=str(item_id), error=str(error)[:300])
            await set_item_status(
                item_id, ItemStatus.ERROR, BANK_DATA_REFUSED, observed_at=fetch_started_at
            )
            return SyncResult("error", restarts=restarts)
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
            latest = await repository.get_item(session, item_id)
        if latest is None:
            return SyncResult("missing")
        log.info("sync.superseded", item_id=str(item_id), continuations=continuations)
        if continuations > MAX_SUPERSEDED_CONTINUATIONS:
            raise SyncRestartsExhausted(str(item_id))
        start_cursor = latest.cursor


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
    status = (
        ItemStatus.LOGIN_REQUIRED if error.error_code == ITEM_LOGIN_REQUIRED else ItemStatus.ERROR
    )
    # A webhook or a successful run after this fetch started knows better: keep what it said.
    await set_item_status(item.id, status, error.error_code, observed_at=fetch_started_at)
    outcome = "login_required" if status == ItemStatus.LOGIN_REQUIRED else "error"
    return SyncResult(outcome, restarts=restarts)
