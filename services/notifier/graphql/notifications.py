"""Notifications in the graph: a notification with its deliveries, the connection that pages
them, and marking them read."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry

from services.notifier.graphql.deliveries import DeliveryType, deliveries_loader
from services.notifier.graphql.kinds import AlertKind
from services.notifier.inbox import service as inbox
from shared.db import read_session
from shared.graphql import Info, Node, PageInfo, global_id


@strawberry.type(name="Notification", description="Something the user was told.")
class NotificationType(Node):
    kind: AlertKind = strawberry.field(description="The kind of alert that raised it.")
    title: str = strawberry.field(description="One line, e.g. for a list or a push title.")
    body: str = strawberry.field(description="The whole message, in plain text.")
    created_at: datetime = strawberry.field(description="When it was raised.")
    read_at: datetime | None = strawberry.field(
        description="When the user marked it read; null while unread."
    )
    notification_id: strawberry.Private[uuid.UUID]

    @strawberry.field
    async def deliveries(self, info: Info) -> list[DeliveryType]:
        """How it went on each channel it was sent through (IN_APP first); one query for a
        whole page of notifications."""
        loader = info.context.loader("notifier.deliveries", deliveries_loader)
        return [DeliveryType.of(view) for view in await loader.load(self.notification_id)]

    @classmethod
    def of(cls, notification: inbox.NotificationView) -> NotificationType:
        return cls(
            id=global_id("Notification", notification.id),
            kind=AlertKind(notification.kind),
            title=notification.title,
            body=notification.body,
            created_at=notification.created_at,
            read_at=notification.read_at,
            notification_id=notification.id,
        )


@strawberry.type(description="A notification in a list, with its cursor.")
class NotificationEdge:
    cursor: str = strawberry.field(description="Pass as `after` to list what comes after it.")
    node: NotificationType = strawberry.field(description="The notification.")


@strawberry.type(description="A page of notifications, newest first.")
class NotificationConnection:
    edges: list[NotificationEdge] = strawberry.field(description="This page's notifications.")
    page_info: PageInfo = strawberry.field(description="Where this page starts and ends.")
    user_id: strawberry.Private[uuid.UUID]
    unread_only: strawberry.Private[bool]

    @strawberry.field
    async def total_count(self) -> int:
        """How many notifications the list holds, all pages (with unreadOnly: how many are
        unread, e.g. for a badge)."""
        async with read_session() as session:
            return await inbox.count_notifications(
                session, self.user_id, unread_only=self.unread_only
            )


@strawberry.input(description="Notifications the user has seen.")
class MarkNotificationsReadInput:
    ids: list[strawberry.ID] = strawberry.field(
        description="At most 100 of the caller's notifications."
    )


@strawberry.type(description="What markNotificationsRead changed.")
class MarkNotificationsReadPayload:
    marked_count: int = strawberry.field(description="How many of them were unread until now.")
