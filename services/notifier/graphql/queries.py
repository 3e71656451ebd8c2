"""The notifier's queries: the caller's alert rules and notifications (thin: call the services)."""

from __future__ import annotations

import strawberry

from services.notifier.graphql.types import (
    AlertRuleType,
    NotificationConnection,
    NotificationEdge,
    NotificationType,
)
from services.notifier.inbox import service as inbox
from services.notifier.rules import service as rules
from shared.db import read_session
from shared.graphql import Info, PageInfo


@strawberry.type
class Query:
    @strawberry.field
    async def alert_rules(self, info: Info) -> list[AlertRuleType]:
        user_id = info.context.require_user()
        async with read_session() as session:
            found = await rules.alert_rules(session, user_id)
        return [AlertRuleType.of(rule) for rule in found]

    @strawberry.field
    async def notifications(
        self,
        info: Info,
        unread_only: bool | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> NotificationConnection:
        """The caller's notifications, newest first (at most 100 a page)."""
        user_id = info.context.require_user()
        async with read_session() as session:
            page = await inbox.notifications(
                session, user_id, unread_only=bool(unread_only), first=first, after=after
            )
        return NotificationConnection(
            edges=[
                NotificationEdge(cursor=cursor, node=NotificationType.of(view))
                for cursor, view in page.edges
            ],
            page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
        )
