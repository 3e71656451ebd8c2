"""The notifier's queries: the caller's alert rules and notifications (thin: call the services),
and how `node(id:)` finds them."""

from __future__ import annotations

import uuid
from typing import Annotated

import strawberry

from services.notifier.delivery import preferences
from services.notifier.graphql.alert_rules import AlertRuleType
from services.notifier.graphql.notifications import (
    NotificationConnection,
    NotificationEdge,
    NotificationType,
)
from services.notifier.graphql.settings import NotificationSettings
from services.notifier.inbox import service as inbox
from services.notifier.rules import service as rules
from shared.db import read_session
from shared.graphql import After, First, Info, NodeResolver, PageInfo, caller_list, selected_under
from shared.ids import decode_id

ID_ARGUMENT = strawberry.argument(description="Its id.")


async def resolve_alert_rule(info: Info, rule_id: uuid.UUID) -> AlertRuleType:
    """The caller's alert rule (for `alertRule(id:)` and `node(id:)`); NOT_FOUND otherwise."""
    user_id = info.context.require_user()
    async with read_session() as session:
        return AlertRuleType.of(await rules.alert_rule(session, user_id, rule_id))


async def resolve_notification(info: Info, notification_id: uuid.UUID) -> NotificationType:
    """The caller's notification (for `notification(id:)` and `node(id:)`); NOT_FOUND
    otherwise."""
    user_id = info.context.require_user()
    async with read_session() as session:
        return NotificationType.of(await inbox.notification(session, user_id, notification_id))


NODES: dict[str, NodeResolver] = {
    "AlertRule": resolve_alert_rule,
    "Notification": resolve_notification,
}


@strawberry.type
class Query:
    @strawberry.field
    async def alert_rules(self, info: Info) -> list[AlertRuleType]:
        """The caller's alert rules, oldest first."""
        return await caller_list(info, rules.alert_rules, AlertRuleType.of)

    @strawberry.field
    async def alert_rule(
        self, info: Info, id: Annotated[strawberry.ID, ID_ARGUMENT]
    ) -> AlertRuleType:
        """One of the caller's alert rules."""
        return await resolve_alert_rule(info, decode_id("AlertRule", id))

    @strawberry.field
    async def notifications(
        self,
        info: Info,
        unread_only: Annotated[
            bool | None, strawberry.argument(description="Only the unread ones when true.")
        ] = None,
        first: First = None,
        after: After = None,
    ) -> NotificationConnection:
        """The caller's notifications, newest first."""
        user_id = info.context.require_user()
        # A badge asks for the count alone: then no page is read (the session stays unused).
        read_rows = bool(selected_under(info) & {"edges", "pageInfo"})
        async with read_session() as session:
            page = await inbox.notifications(
                session,
                user_id,
                unread_only=bool(unread_only),
                first=first,
                after=after,
                read_rows=read_rows,
            )
        edges = [
            NotificationEdge(cursor=cursor, node=NotificationType.of(view))
            for cursor, view in page.edges
        ]
        return NotificationConnection(
            edges=edges,
            page_info=PageInfo.of(
                [edge.cursor for edge in edges], has_next_page=page.has_next_page, after=after
            ),
            user_id=user_id,
            unread_only=bool(unread_only),
        )

    @strawberry.field
    async def notification(
        self, info: Info, id: Annotated[strawberry.ID, ID_ARGUMENT]
    ) -> NotificationType:
        """One of the caller's notifications."""
        return await resolve_notification(info, decode_id("Notification", id))

    @strawberry.field
    async def notification_settings(self, info: Info) -> NotificationSettings:
        """How the caller is told beyond the app: quiet hours, the digest, rate limits."""
        user_id = info.context.require_user()
        async with read_session() as session:
            return NotificationSettings.of(await preferences.preferences(session, user_id))
