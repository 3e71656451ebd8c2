"""The sync job: the queue the sync service's actors consume, and the message asking for a sync
of one linked item. Services send it by name (no service imports the actors);
`actors.sync_item` runs it, and `api.QUEUE` tells the worker which queue to drain.
"""

from __future__ import annotations

import uuid
from typing import Any

from dramatiq import Message

from shared.messaging import message, send_now

QUEUE = "sync"
SYNC_ITEM_ACTOR = "sync_item"


def sync_item_message(item_id: uuid.UUID) -> Message[Any]:
    return message(QUEUE, SYNC_ITEM_ACTOR, item_id=str(item_id))


async def enqueue_sync(item_id: uuid.UUID) -> None:
    """Enqueue a sync of the item now (for callers holding no transaction)."""
    await send_now(sync_item_message(item_id))
