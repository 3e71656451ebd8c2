"""The sync jobs: the queue the sync service's actors consume, the message asking for a sync of
one linked item, and the one asking for a deleted user's bank item to be removed at Plaid.
Services send them by name (no service imports the actors); `actors.sync_item` and
`actors.remove_bank_item` run them, and `api.QUEUE` tells the worker which queue to drain.
"""

from __future__ import annotations

import uuid
from typing import Any

from dramatiq import Message

from shared.messaging import message, send_now

QUEUE = "sync"
SYNC_ITEM_ACTOR = "sync_item"
REMOVE_BANK_ITEM_ACTOR = "remove_bank_item"


def sync_item_message(item_id: uuid.UUID) -> Message[Any]:
    return message(QUEUE, SYNC_ITEM_ACTOR, item_id=str(item_id))


async def enqueue_sync(item_id: uuid.UUID) -> None:
    """Enqueue a sync of the item now (for callers holding no transaction)."""
    await send_now(sync_item_message(item_id))


def remove_bank_item_message(removal_id: uuid.UUID) -> Message[Any]:
    return message(QUEUE, REMOVE_BANK_ITEM_ACTOR, removal_id=str(removal_id))
