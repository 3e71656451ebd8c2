"""A user's data across every service: the full export, and deleting the account.

Each service's `api` describes its part of the export (`export_user_data`: sections read page
by page) and deletes its part (`delete_user_data`, inside the caller's transaction); this
module puts them together, as sign-up does for provisioning.

Deleting an account, in order:
1. the password again (a stolen access token is not enough; guesses are throttled as log-ins);
2. every linked bank item removed at Plaid, outside any transaction;
3. in ONE transaction, every row of the user in every service: sync first (on PostgreSQL its
   delete waits for a sync run that is storing into the ledger, so nothing lands after), then
   the ledger, the notifier, the identity (user, sessions, refresh tokens), and the messages
   still waiting in the outbox that name the user. An item Plaid did not confirm removing in
   step 2 is deleted all the same; the sync service removes it at Plaid with a retried job;
4. once committed, every live subscription of the user's sessions ends.
A message about the user already in the broker's hands finds nothing and does nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

from services.gateway.identity import service as identity
from services.gateway.identity import throttle
from services.ledger import api as ledger_api
from services.notifier import api as notifier_api
from services.sync import api as sync_api
from shared import outbox
from shared.clock import utcnow
from shared.db import unit_of_work
from shared.export import json_document
from shared.logging import get_logger

log = get_logger(__name__)

EXPORT_FORMAT = "tally-export"
EXPORT_VERSION = 1
# An export reads everything the user has: a few an hour is plenty for a person.
EXPORTS_PER_USER = throttle.Limit("export-user", attempts=10, window_seconds=60 * 60)


async def start_export(user_id: uuid.UUID) -> AsyncIterator[bytes]:
    """The user's data as one JSON document, in chunks written while they are read (see
    shared.export). RATE_LIMITED past EXPORTS_PER_USER."""
    await throttle.spend(EXPORTS_PER_USER, str(user_id), 1)
    log.info("user_data_exported", user_id=str(user_id))
    head = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "exportedAt": utcnow().isoformat()}
    sections = [
        *identity.export_sections(user_id),
        *ledger_api.export_user_data(user_id),
        *sync_api.export_user_data(user_id),
        *notifier_api.export_user_data(user_id),
    ]
    return json_document(head, sections)


@dataclass(frozen=True)
class AccountDeleted:
    user_id: uuid.UUID
    banks_revoked: int  # removed at Plaid before the deletion
    banks_awaiting_revocation: int  # Plaid did not confirm: a retried job removes them


async def delete_account(
    user_id: uuid.UUID, password: str, *, client_address: str
) -> AccountDeleted:
    """Delete the account and every row of the user in every service (see the module's
    docstring for the order). BAD_USER_INPUT on `input.password` if it is not theirs."""
    await identity.confirm_password(user_id, password, client_address=client_address)
    revoked = await sync_api.revoke_bank_items(user_id)
    async with unit_of_work() as work:
        banks = await sync_api.delete_user_data(work, user_id, revoked)
        ledger_rows = await ledger_api.delete_user_data(work, user_id)
        notifier_rows = await notifier_api.delete_user_data(work, user_id)
        identity_rows = await identity.delete_identity(work, user_id)
        messages = await outbox.forget_messages_about(work, [user_id])
    log.info(
        "account_deleted",
        user_id=str(user_id),
        banks_revoked=banks.revoked,
        banks_awaiting_revocation=banks.awaiting_revocation,
        rows={**ledger_rows, **notifier_rows, **identity_rows},
        messages_forgotten=messages,
    )
    return AccountDeleted(user_id, banks.revoked, banks.awaiting_revocation)
