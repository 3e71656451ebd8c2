"""A user's banks as a whole: the export's linked institutions; revoking every item at Plaid
and deleting the user's sync data when they delete their account; and removing at Plaid, by a
retried job, the items Plaid did not confirm removing then (or when the user unlinked one:
services/sync/unlinking uses the same removals).

Revoking comes first, outside any transaction (Plaid may take seconds). Deleting never waits
for Plaid: an item whose removal Plaid did not confirm (Plaid down, rate limited, any refusal
but "no such item") is deleted here all the same, and its encrypted access token alone is kept
in `sync_item_removals`, with a job that removes it at Plaid, retried with backoff, then again
by the scheduler, until Plaid confirms. So a user is never left half-deleted, and no item of
theirs stays linked (and billed) at Plaid for longer than Plaid's outage.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncGenerator, Collection
from dataclasses import dataclass

from services.ledger import api as ledger
from services.sync.jobs import remove_bank_item_message
from services.sync.linking import repository as items
from services.sync.models import LinkedItem
from services.sync.plaid import client as plaid_client
from services.sync.plaid.errors import PlaidError
from services.sync.user_data import repository
from shared import outbox
from shared.clock import utcnow
from shared.crypto import decrypt, reencrypt
from shared.db import UnitOfWork, read_session, unit_of_work
from shared.export import JSONObject, Section, moment, paged
from shared.ids import encode_id
from shared.logging import get_logger
from shared.messaging import send_after_commit, send_now

log = get_logger(__name__)

# Plaid's answers for an item that is no longer there (removed before, or its token dead):
# nothing is left to revoke.
ALREADY_REMOVED = frozenset({"ITEM_NOT_FOUND", "INVALID_ACCESS_TOKEN"})
# How long a removal left untried waits before the scheduler asks for it again (the job
# retries on its own first).
REMOVAL_RETRY_INTERVAL = dt.timedelta(hours=1)
REMOVAL_BATCH = 1_000


@dataclass(frozen=True)
class BanksDeleted:
    """What deleting a user's sync data did with their bank items."""

    revoked: int  # removed at Plaid before the deletion
    awaiting_revocation: int  # deleted here; their removal at Plaid is retried by a job


def export_sections(user_id: uuid.UUID) -> list[Section]:
    """The sync service's part of the user's export: their linked institutions with the ids of
    the accounts each brought (never an access token or a cursor)."""
    return [Section("linkedInstitutions", lambda: _institutions(user_id))]


def _institutions(user_id: uuid.UUID) -> AsyncGenerator[JSONObject, None]:
    async def fetch(after: uuid.UUID | None, limit: int) -> list[tuple[LinkedItem, list[str]]]:
        async with read_session() as session:
            page = await repository.items_after(session, user_id, after, limit)
        accounts = await ledger.account_ids_of_items(user_id, [item.id for item in page])
        return [
            (item, [encode_id("Account", account_id) for account_id in accounts[item.id]])
            for item in page
        ]

    return paged(fetch, lambda row: row[0].id, _institution)


def _institution(row: tuple[LinkedItem, list[str]]) -> JSONObject:
    item, account_ids = row
    return {
        "id": encode_id("LinkedInstitution", item.id),
        "name": item.institution_name,
        "institutionId": item.institution_id,
        "status": item.status,
        "errorCode": item.error_code,
        "lastSyncedAt": moment(item.last_synced_at),
        "createdAt": moment(item.created_at),
        "accountIds": account_ids,
    }


async def revoke_bank_items(user_id: uuid.UUID) -> frozenset[uuid.UUID]:
    """Remove each of the user's items at Plaid (its access token stops working there); the
    ids of those Plaid confirmed removed, or had already. Holds no transaction meanwhile."""
    async with read_session() as session:
        linked = await items.list_user_items(session, user_id)
    revoked = set()
    for item in linked:
        if await remove_at_plaid(item.access_token_encrypted, item_id=str(item.id)) is None:
            revoked.add(item.id)
    return frozenset(revoked)


async def remove_at_plaid(access_token_encrypted: str, **about: str) -> PlaidError | None:
    """Remove an item at Plaid: None once it is gone there, or Plaid's error."""
    try:
        await plaid_client.remove_item(decrypt(access_token_encrypted))
    except PlaidError as error:
        if error.error_code in ALREADY_REMOVED:
            return None
        log.warning(
            "sync.item_removal_failed",
            status=error.status,
            error_type=error.error_type,
            error_code=error.error_code,
            plaid_request_id=error.request_id,
            **about,
        )
        return error
    return None


async def delete_user_data(
    work: UnitOfWork, user_id: uuid.UUID, revoked: Collection[uuid.UUID]
) -> BanksDeleted:
    """Delete every row of the user in the sync service, in `work`, and the sync jobs still
    queued for their items. Each deleted item not in `revoked` (Plaid did not confirm its
    removal, or it was linked after `revoke_bank_items`) keeps its encrypted access token in a
    removal, whose job is sent once `work` commits."""
    deleted = await repository.delete_items(work.session, user_id)
    awaiting = 0
    for item_id, plaid_item_id, access_token_encrypted in deleted:
        if item_id in revoked:
            continue
        remove_later(work, plaid_item_id, access_token_encrypted)
        awaiting += 1
    await outbox.forget_messages_about(work, [item_id for item_id, _, _ in deleted])
    await repository.delete_everything(work.session, user_id)
    if awaiting:
        log.warning("sync.items_awaiting_removal", items=awaiting)
    return BanksDeleted(revoked=len(deleted) - awaiting, awaiting_revocation=awaiting)


def remove_later(work: UnitOfWork, plaid_item_id: str, access_token_encrypted: str) -> None:
    """An item deleted in `work` whose removal Plaid did not confirm: keep its encrypted access
    token (and nothing of its user) in a removal, whose job is sent once `work` commits and
    retried until Plaid confirms."""
    removal_id = repository.add_removal(work.session, plaid_item_id, access_token_encrypted)
    send_after_commit(work, remove_bank_item_message(removal_id))


async def remove_pending_item(removal_id: uuid.UUID) -> None:
    """Remove at Plaid an item deleted here (its user gone, or the item unlinked); the removal
    is forgotten once Plaid confirms.

    Raises PlaidError for what time may cure (Plaid's 5xx, rate limits, no connection), so the
    job is retried; any other refusal is recorded and logged, and the scheduler asks again
    later. Idempotent: a removal already done is no longer there."""
    async with read_session() as session:
        removal = await repository.removal(session, removal_id)
    if removal is None:
        return
    error = await remove_at_plaid(
        removal.access_token_encrypted,
        removal_id=str(removal_id),
        plaid_item_id=removal.plaid_item_id,
    )
    async with unit_of_work() as work:
        if error is None:
            await repository.delete_removal(work.session, removal_id)
        else:
            await repository.record_attempt(work.session, removal_id, error.error_code, utcnow())
    if error is None:
        log.info("sync.item_removed", removal_id=str(removal_id))
        return
    if error.retryable:
        raise error
    log.error("sync.item_removal_refused", removal_id=str(removal_id), error_code=error.error_code)


async def enqueue_due_removals(
    *, untried_for: dt.timedelta = REMOVAL_RETRY_INTERVAL, limit: int = REMOVAL_BATCH
) -> int:
    """Ask again for every removal nobody tried for `untried_for`; how many (the scheduler's
    safety net, for jobs whose retries ran out while Plaid was down)."""
    async with read_session() as session:
        due = await repository.removals_due(session, utcnow() - untried_for, limit)
    for removal_id in due:
        await send_now(remove_bank_item_message(removal_id))
    return len(due)


async def reencrypt_removal_tokens() -> int:
    """Re-encrypt the access tokens of pending removals under the newest key; how many were."""
    reencrypted = 0
    async with unit_of_work() as work:
        for removal_id, ciphertext in await repository.removal_tokens(work.session):
            if await repository.replace_removal_token(
                work.session, removal_id, expected=ciphertext, new=reencrypt(ciphertext)
            ):
                reencrypted += 1
    return reencrypted
