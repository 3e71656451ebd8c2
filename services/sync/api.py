"""The sync service's public interface: what the gateway, the CLI and the scheduler call."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from services.sync import jobs
from services.sync.events import BANK_CONNECTION_NEEDS_ATTENTION
from services.sync.linking import service as linking
from services.sync.runs import service as runs
from services.sync.user_data import service as user_data
from services.sync.webhooks import dispatch
from shared.db import UnitOfWork
from shared.export import Section

# The queue the sync service's actors consume: `tally worker sync` drains it.
QUEUE = jobs.QUEUE
# How a webhook was answered: status accepted/ignored/rejected, and the HTTP status to send.
WebhookOutcome = dispatch.WebhookOutcome
# What deleting a user's sync data did with their banks: revoked (at Plaid, before), and
# awaiting_revocation (deleted here; a retried job removes them at Plaid).
BanksDeleted = user_data.BanksDeleted
# The event announced when a linked bank starts needing the user (sign in again, or an
# error): subscribe to it with a shared.events.Subscription (see services/sync/events.py).

__all__ = [
    "BANK_CONNECTION_NEEDS_ATTENTION",
    "QUEUE",
    "BanksDeleted",
    "WebhookOutcome",
    "delete_user_data",
    "enqueue_due_item_removals",
    "enqueue_due_syncs",
    "export_user_data",
    "handle_webhook",
    "revoke_bank_items",
    "rotate_encryption_keys",
]


async def handle_webhook(body: bytes, verification_header: str | None) -> WebhookOutcome:
    """Verify a Plaid webhook (ES256 JWT, fresh iat, body hash) and act on it.

    Sync webhooks enqueue a sync of the item; ITEM webhooks record its health. Nothing in the
    body is read before the signature, age and body hash are verified.
    """
    return await dispatch.handle(body, verification_header)


async def enqueue_due_syncs() -> int:
    """Enqueue a sync of each healthy linked item not synced for a while (the scheduler's job).

    Webhooks normally trigger syncs; this catches items whose webhook was lost. Returns how
    many syncs were enqueued (at most a batch per call, least recently synced first).
    """
    return await runs.enqueue_due_syncs()


async def rotate_encryption_keys(batch_size: int = 200) -> int:
    """Re-encrypt every linked item's Plaid access token under the newest encryption key.

    Rotation: prepend a new key to TALLY_ENCRYPTION_KEYS (newest first), restart, call this,
    then drop the old key. Works in short batches and may be run again; returns how many
    tokens were re-encrypted.
    """
    linked = await linking.reencrypt_access_tokens(batch_size)
    return linked + await user_data.reencrypt_removal_tokens()


def export_user_data(user_id: uuid.UUID) -> list[Section]:
    """The sync service's part of the user's export (shared.export): their linked institutions
    and the ids of the accounts each brought, never an access token."""
    return user_data.export_sections(user_id)


async def revoke_bank_items(user_id: uuid.UUID) -> frozenset[uuid.UUID]:
    """First step of deleting an account: remove each of the user's bank items at Plaid, so its
    access token stops working there. Returns the ids of the items Plaid confirmed removed (or
    had already); the others are left to `delete_user_data`. Call it outside any transaction:
    it waits for Plaid."""
    return await user_data.revoke_bank_items(user_id)


async def delete_user_data(
    work: UnitOfWork, user_id: uuid.UUID, revoked: Collection[uuid.UUID]
) -> BanksDeleted:
    """Delete every row of the user in the sync service inside the caller's transaction, with
    the sync jobs still queued for their items. An item not among `revoked` is removed at Plaid
    by a job sent after commit and retried until Plaid confirms (only its encrypted access
    token is kept meanwhile). Call it before the ledger deletes: on PostgreSQL deleting the
    items waits for a sync run storing into the ledger, so none lands after."""
    return await user_data.delete_user_data(work, user_id, revoked)


async def enqueue_due_item_removals() -> int:
    """Ask again for the removal at Plaid of every deleted user's item still waiting for one
    (the scheduler's job); how many."""
    return await user_data.enqueue_due_removals()
