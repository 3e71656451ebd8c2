"""Unlinking a bank: the item removed at Plaid (/item/remove, so its access token stops working
and Plaid stops billing it), and its accounts kept as manual ones with their history, or deleted
with it, as the user chooses.

Plaid is asked first, outside any transaction (a call may take seconds). As when a user deletes
their account, an item whose removal Plaid did not confirm (Plaid down, rate limited) is unlinked
here all the same, and a retried job removes it at Plaid (user_data's removals): unlinking never
waits for Plaid's outage. Then one unit of work deletes the item first (on PostgreSQL that waits
for a sync run storing into the ledger, so none lands after), hands its accounts to the ledger,
forgets the sync jobs still queued for it, and records what was done: unlinking the same item
again (a retried request) answers the same.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from services.ledger import api as ledger
from services.sync.linking import repository as items
from services.sync.models import UnlinkedItem
from services.sync.unlinking import repository
from services.sync.user_data import service as removals
from shared import outbox
from shared.db import read_session, unit_of_work
from shared.errors import Conflict, NotFound
from shared.logging import get_logger

log = get_logger(__name__)

KEEP = "KEEP"
DELETE = "DELETE"
HISTORY_CHOICES = (KEEP, DELETE)


@dataclass(frozen=True)
class Unlinked:
    """What unlinking an item did: its accounts kept as manual ones (KEEP), or deleted with
    their transactions (DELETE)."""

    item_id: uuid.UUID
    institution_name: str
    history: str
    account_ids: list[uuid.UUID]
    deleted_transaction_count: int

    @classmethod
    def of(cls, record: UnlinkedItem) -> Unlinked:
        return cls(
            item_id=record.id,
            institution_name=record.institution_name,
            history=record.history,
            account_ids=[uuid.UUID(account_id) for account_id in record.account_ids],
            deleted_transaction_count=record.deleted_transaction_count,
        )


async def unlink_item(user_id: uuid.UUID, item_id: uuid.UUID, history: str) -> Unlinked:
    """Unlink the user's item, keeping (KEEP) or deleting (DELETE) its accounts' history.

    NotFound for anyone else's item. Idempotent: an item this user unlinked answers what was
    done then (Conflict if asked for the other choice). DELETE is refused (BadUserInput on
    input.history) while a goal is funded by one of the accounts, before Plaid is told.
    """
    if history not in HISTORY_CHOICES:
        raise ValueError(f"history must be one of {HISTORY_CHOICES}")
    async with read_session() as session:
        item = await items.get_user_item(session, user_id, item_id)
        done = None if item else await repository.unlinked_item(session, user_id, item_id)
    if item is None:
        return _answer_again(done, history)
    if history == DELETE:
        await ledger.check_bank_history_deletable(user_id, item.id)
    refusal = await removals.remove_at_plaid(item.access_token_encrypted, item_id=str(item.id))
    async with unit_of_work() as work:
        deleted = await repository.delete_item(work.session, user_id, item.id)
        if deleted is None:  # a concurrent unlink of the same item got there first
            done = await repository.unlinked_item(work.session, user_id, item_id)
            return _answer_again(done, history)
        plaid_item_id, access_token_encrypted = deleted
        if refusal is not None or access_token_encrypted != item.access_token_encrypted:
            # Not confirmed at Plaid (or re-linked meanwhile under a new token): a job removes it.
            removals.remove_later(work, plaid_item_id, access_token_encrypted)
        await outbox.forget_messages_about(work, [item.id])
        transaction_count = 0
        if history == KEEP:
            account_ids = await ledger.keep_bank_accounts(work, user_id, item.id)
        else:
            gone = await ledger.delete_bank_accounts(work, user_id, item.id)
            account_ids, transaction_count = gone.account_ids, gone.transaction_count
        record = repository.add_unlinked_item(
            work.session,
            item_id=item.id,
            user_id=user_id,
            institution_name=item.institution_name,
            history=history,
            account_ids=account_ids,
            deleted_transaction_count=transaction_count,
        )
    log.info(
        "sync.item_unlinked",
        item_id=str(item.id),
        history=history,
        accounts=len(account_ids),
        removed_at_plaid=refusal is None,
    )
    return Unlinked.of(record)


def _answer_again(done: UnlinkedItem | None, history: str) -> Unlinked:
    if done is None:
        raise NotFound("LinkedInstitution")
    if done.history != history:
        kept = "keeping" if done.history == KEEP else "deleting"
        raise Conflict(f"This bank was already unlinked, {kept} its history.")
    return Unlinked.of(done)
