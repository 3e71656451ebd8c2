"""SQLAlchemy tables of the sync service. No other service imports this module.

A linked item is one bank login at Plaid. Its access token is stored only encrypted
(shared.crypto); its transactions cursor moves only in the transaction that stores what the
cursor covers, a page at a time (see runs/service.py).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.clock import UTCDateTime, utcnow
from shared.db import service_metadata

metadata = service_metadata()


class Base(DeclarativeBase):
    metadata = metadata


class ItemStatus:
    """The health of a linked item, as shown in `LinkedInstitution.status`.

    HEALTHY: syncing normally (also right after linking, before the first sync lands).
    LOGIN_REQUIRED: the bank wants the user to sign in again (Link update mode); no sync
      succeeds until then, and a successful sync or LOGIN_REPAIRED makes it HEALTHY again.
    ERROR: Plaid refused the item for another reason (e.g. revoked permission, invalid
      access token); `error_code` says which. A later successful sync clears it.
    """

    HEALTHY = "HEALTHY"
    LOGIN_REQUIRED = "LOGIN_REQUIRED"
    ERROR = "ERROR"


class LinkedItem(Base):
    __tablename__ = "sync_items"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    # Plaid's item_id: linking the same item again finds this row instead of adding one.
    plaid_item_id: Mapped[str] = mapped_column(String(100), unique=True)
    access_token_encrypted: Mapped[str] = mapped_column(Text)
    # SHA-256 of the public token last exchanged for this item, so a retried link (the
    # public token is single-use at Plaid) answers with the item instead of an error.
    public_token_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    institution_id: Mapped[str | None] = mapped_column(String(100))
    institution_name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    error_code: Mapped[str | None] = mapped_column(String(100))
    # Plaid's /transactions/sync cursor; None until the first page has been stored. While a
    # pagination is in progress (its pages are stored one by one), the cursor of its last
    # stored page.
    cursor: Mapped[str | None] = mapped_column(Text)
    # A pagination in progress (None: none): which pass over the update it is (0, then one
    # more each time Plaid said the data changed during pagination and it started again), and
    # the cursor it started from (None: from the beginning), where a new pass starts.
    pagination_pass: Mapped[int | None] = mapped_column(Integer)
    pagination_start_cursor: Mapped[str | None] = mapped_column(Text)
    last_synced_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class PaginationReport(Base):
    """A transaction the stored pages of an item's pagination in progress reported (added,
    modified or removed), with the last pass that reported it. When Plaid makes a pagination
    start again, the pages already stored stay; at its end, what an earlier pass added and
    the last pass never mentioned no longer exists at Plaid, and is removed from the ledger
    (runs/service.py). The rows go when the pagination ends."""

    __tablename__ = "sync_pagination_reports"

    item_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("sync_items.id", ondelete="CASCADE"), primary_key=True
    )
    provider_transaction_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    pass_number: Mapped[int] = mapped_column(Integer)
    # Whether a page reported it added (new since the pagination's start): only such a
    # transaction can have come and gone without the last pass saying so.
    added: Mapped[bool] = mapped_column(Boolean)


class WebhookReceipt(Base):
    """A verified webhook already acted on, by the digest of its signed header: a replay of it
    (an attacker's, or a proxy's retry) within its freshness window is ignored. Rows older
    than the window are pruned."""

    __tablename__ = "sync_webhook_receipts"

    verification_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)


class ItemRemoval(Base):
    """A bank item still to be removed at Plaid: its user deleted their account, or unlinked
    the item, while Plaid did not confirm the removal. It keeps only what the removal needs
    (the access token, encrypted) and nothing of the user; the row goes once Plaid confirms."""

    __tablename__ = "sync_item_removals"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    plaid_item_id: Mapped[str] = mapped_column(String(100))
    access_token_encrypted: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # When the last removal was tried, and what Plaid answered (None before the first try).
    attempted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    last_error_code: Mapped[str | None] = mapped_column(String(100))


class UnlinkedItem(Base):
    """A linked item the user unlinked: what was done with its history, so that unlinking it
    again (a retried request) answers the same, and stays the user's alone. The access token
    and everything else of the item are gone."""

    __tablename__ = "sync_unlinked_items"

    # The unlinked item's id (its LinkedInstitution id).
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    institution_name: Mapped[str] = mapped_column(String(200))
    # KEEP (its accounts became manual ones) or DELETE (they went with their transactions).
    history: Mapped[str] = mapped_column(String(10))
    # The ids of the accounts kept (KEEP) or deleted (DELETE).
    account_ids: Mapped[list[str]] = mapped_column(JSON)
    deleted_transaction_count: Mapped[int] = mapped_column(Integer)
    unlinked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
