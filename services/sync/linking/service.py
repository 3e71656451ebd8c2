"""Linking a bank: Link tokens (new items and update mode), the public-token exchange, storing
the item with its accounts, listing a user's linked items, and re-encrypting the stored access
tokens when the encryption keys rotate.

No database transaction is held while Plaid is called (a call may take seconds, and on SQLite a
write transaction locks the whole database): each function reads, talks to Plaid, then writes
in one short unit of work of its own. Linking enqueues the item's first sync once committed.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence

from services.ledger import api as ledger
from services.sync.jobs import sync_item_message
from services.sync.linking import repository
from services.sync.models import ItemStatus, LinkedItem
from services.sync.plaid import client as plaid_client
from services.sync.plaid import mapping
from services.sync.plaid.errors import PlaidError
from services.sync.plaid.records import ExchangedItem, LinkToken
from shared.clock import utcnow
from shared.config import get_settings
from shared.crypto import decrypt, encrypt, reencrypt
from shared.db import read_session, unit_of_work
from shared.errors import BadUserInput, Conflict, NotFound, TallyError, UpstreamError
from shared.logging import get_logger
from shared.messaging import send_after_commit
from shared.validation import clean_text

log = get_logger(__name__)

MAX_PUBLIC_TOKEN_LENGTH = 200
FALLBACK_INSTITUTION_NAME = "Bank"
INVALID_PUBLIC_TOKEN = "INVALID_PUBLIC_TOKEN"  # noqa: S105 - an error code, not a secret


def webhook_url() -> str:
    return f"{get_settings().public_url.rstrip('/')}/webhooks/plaid"


def link_script_url() -> str:
    """Where browsers load Plaid Link from (Plaid's CDN, or the emulator's look-alike)."""
    return get_settings().plaid_link_script


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
    token = clean_text(public_token, "input.publicToken", max_length=MAX_PUBLIC_TOKEN_LENGTH)
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
                "input.publicToken", "is invalid, expired or already used; link the bank again"
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
    refusal: ledger.BankDataError | None = None
    try:
        accounts = [mapping.bank_account(account) for account in plaid_accounts]
    except ledger.BankDataError as error:
        # The item is kept, stopped with the reason as its status, rather than linked in part.
        log.error("sync.link_refused_bank_data", error=str(error)[:300])
        refusal, accounts = error, []
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
        item.status = ItemStatus.HEALTHY if refusal is None else ItemStatus.ERROR
        item.error_code = getattr(refusal, "error_code", None) if refusal else None
        item.updated_at = utcnow()
        if refusal is None:
            await ledger.upsert_bank_accounts(work, user_id, item.id, accounts)
            send_after_commit(work, sync_item_message(item.id))
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


async def linked_item(user_id: uuid.UUID, item_id: uuid.UUID) -> LinkedItem:
    """One of the user's linked items; NOT_FOUND for anyone else's."""
    async with read_session() as session:
        item = await repository.get_user_item(session, user_id, item_id)
    if item is None:
        raise NotFound("LinkedInstitution")
    return item


async def reencrypt_access_tokens(batch_size: int = 200) -> int:
    """Re-encrypt every linked item's access token under the newest key; how many were.

    TALLY_ENCRYPTION_KEYS lists the keys newest first, and any listed key decrypts: after a new
    key is prepended, this moves every token to it so the old key can be dropped. One short
    unit of work per batch, so no long transaction holds the database. Each write is a
    compare-and-set: a token re-linked meanwhile is kept as the re-link stored it (already
    under the newest key). Safe to run again, e.g. after an interruption: it re-encrypts every
    token again, as shared.crypto cannot tell which key a token is under. A token that none of
    the listed keys opens stops the run (earlier batches stay done): list its key and rerun.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    reencrypted = 0
    after: uuid.UUID | None = None
    while True:
        async with unit_of_work() as work:
            batch = await repository.access_tokens_after(work.session, after, batch_size)
            for item_id, ciphertext in batch:
                if await repository.replace_access_token(
                    work.session, item_id, expected=ciphertext, new=reencrypt(ciphertext)
                ):
                    reencrypted += 1
        if len(batch) < batch_size:
            break
        after = batch[-1][0]
    log.info("sync.access_tokens_reencrypted", items=reencrypted)
    return reencrypted
