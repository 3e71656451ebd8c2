"""The sync service's public interface: what the gateway, the CLI and the scheduler call."""

from __future__ import annotations

from services.sync import jobs
from services.sync.linking import service as linking
from services.sync.runs import service as runs
from services.sync.webhooks import dispatch

# The queue the sync service's actors consume: `tally worker sync` drains it.
QUEUE = jobs.QUEUE
# How a webhook was answered: status accepted/ignored/rejected, and the HTTP status to send.
WebhookOutcome = dispatch.WebhookOutcome

__all__ = [
    "QUEUE",
    "WebhookOutcome",
    "enqueue_due_syncs",
    "handle_webhook",
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
    return await linking.reencrypt_access_tokens(batch_size)
