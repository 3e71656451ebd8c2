"""In-app notifications: what a user sees, listed newest first and marked read, and the topic
new ones are published on live.

Functions take a session or a unit of work and never commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier.inbox import repository
from services.notifier.models import Notification
from shared.clock import utcnow
from shared.db import UnitOfWork
from shared.errors import BadUserInput, NotFound
from shared.ids import decode_id
from shared.pagination import MAX_PAGE_SIZE, Keyset, page_size, parse_moment


@dataclass(frozen=True)
class NotificationView:
    id: uuid.UUID
    kind: str
    title: str
    body: str
    created_at: datetime
    read_at: datetime | None

    def payload(self) -> dict[str, Any]:
        """The JSON shape published to live subscribers."""
        return {
            "id": self.id.hex,
            "kind": self.kind,
            "title": self.title,
            "body": self.body,
            "createdAt": self.created_at.isoformat(),
            "readAt": self.read_at.isoformat() if self.read_at else None,
        }

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> NotificationView:
        read_at = payload.get("readAt")
        return cls(
            id=uuid.UUID(hex=payload["id"]),
            kind=payload["kind"],
            title=payload["title"],
            body=payload["body"],
            created_at=datetime.fromisoformat(payload["createdAt"]),
            read_at=datetime.fromisoformat(read_at) if read_at else None,
        )


@dataclass(frozen=True)
class NotificationPage:
    edges: list[tuple[str, NotificationView]]  # (cursor, notification), newest first
    has_next_page: bool

    @property
    def end_cursor(self) -> str | None:
        return self.edges[-1][0] if self.edges else None


def live_topic(user_id: uuid.UUID) -> str:
    return f"notifications:{user_id}"


def _notification_view(row: Notification) -> NotificationView:
    return NotificationView(
        id=row.id,
        kind=row.kind,
        title=row.title,
        body=row.body,
        created_at=row.created_at,
        read_at=row.read_at,
    )


def _cursor(view: NotificationView) -> str:
    return Keyset(view.created_at, view.id).cursor()


async def notifications(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    unread_only: bool = False,
    first: int | None = None,
    after: str | None = None,
    read_rows: bool = True,
) -> NotificationPage:
    """The user's notifications, newest first, a page at a time. Without `read_rows` (only
    the list's count was asked for, e.g. an unread badge) the arguments are checked and the
    page is empty, read from nothing."""
    limit = page_size(first)
    keyset = Keyset.parse(after, parse_moment) if after else None
    if not read_rows:
        return NotificationPage(edges=[], has_next_page=False)
    rows = await repository.notifications_page(
        session, user_id, unread_only=unread_only, limit=limit + 1, after=keyset
    )
    views = [_notification_view(row) for row in rows[:limit]]
    return NotificationPage(
        edges=[(_cursor(view), view) for view in views], has_next_page=len(rows) > limit
    )


async def notification(
    session: AsyncSession, user_id: uuid.UUID, notification_id: uuid.UUID
) -> NotificationView:
    """One of the user's notifications; NOT_FOUND for anyone else's."""
    row = await repository.notification_for_user(session, user_id, notification_id)
    if row is None:
        raise NotFound("Notification")
    return _notification_view(row)


async def count_notifications(
    session: AsyncSession, user_id: uuid.UUID, *, unread_only: bool = False
) -> int:
    """How many notifications the user has (unread ones only, if asked): all pages."""
    return await repository.count_notifications(session, user_id, unread_only=unread_only)


async def mark_notifications_read(work: UnitOfWork, user_id: uuid.UUID, ids: Sequence[str]) -> int:
    """Mark the caller's notifications read; how many were unread until now.

    All or nothing: if any id is not one of the caller's notifications, NOT_FOUND and nothing
    changes (another user's id is indistinguishable from one that never existed).
    """
    if len(ids) > MAX_PAGE_SIZE:
        raise BadUserInput("input.ids", f"must list at most {MAX_PAGE_SIZE} ids")
    wanted = {decode_id("Notification", text, "input.ids") for text in ids}
    if not wanted:
        return 0
    owned = await repository.owned_notification_ids(work.session, user_id, wanted)
    if owned != wanted:
        raise NotFound("Notification")
    return await repository.mark_read(work.session, user_id, wanted, utcnow())
