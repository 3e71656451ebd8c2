"""Item health: what webhooks and sync errors say about a linked item (see ItemStatus).

An observation made at some moment (a sync that failed after fetching) gives way to anything
the item learnt after it (a webhook, a sync that succeeded): see `set_item_status`.
"""

from __future__ import annotations

import datetime as dt
import uuid

from services.sync.events import BANK_CONNECTION_NEEDS_ATTENTION
from services.sync.health import repository
from services.sync.linking import repository as items
from services.sync.models import ItemStatus
from shared import events
from shared.clock import utcnow
from shared.db import read_session, unit_of_work
from shared.logging import get_logger

log = get_logger(__name__)

ITEM_LOGIN_REQUIRED = "ITEM_LOGIN_REQUIRED"


def status_for_plaid_error(error_code: str) -> str:
    """The status of an item Plaid refused with `error_code`."""
    return ItemStatus.LOGIN_REQUIRED if error_code == ITEM_LOGIN_REQUIRED else ItemStatus.ERROR


async def item_id_for_plaid_item(plaid_item_id: str) -> uuid.UUID | None:
    async with read_session() as session:
        item = await items.find_by_plaid_item_id(session, plaid_item_id)
    return item.id if item else None


async def set_item_status(
    item_id: uuid.UUID,
    status: str,
    error_code: str | None,
    *,
    observed_at: dt.datetime | None = None,
) -> None:
    """Record an item's health; with `observed_at`, unless the item changed after that.

    An item that turns from healthy (or from another trouble) to needing the user is
    announced (BANK_CONNECTION_NEEDS_ATTENTION) in the same transaction."""
    async with unit_of_work() as work:
        before = await items.get_item(work.session, item_id)
        updated = await repository.update_item(
            work.session,
            item_id,
            unchanged_since=observed_at,
            status=status,
            error_code=error_code,
        )
        if (
            updated
            and before is not None
            and before.status != status
            and status in (ItemStatus.LOGIN_REQUIRED, ItemStatus.ERROR)
        ):
            events.announce(
                work,
                BANK_CONNECTION_NEEDS_ATTENTION,
                user_id=str(before.user_id),
                item_id=str(item_id),
                institution_name=before.institution_name,
                status=status,
                error_code=error_code,
                observed_at=utcnow().isoformat(),
            )
    if updated:
        log.info("sync.item_status", item_id=str(item_id), status=status, error_code=error_code)
