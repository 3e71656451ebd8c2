"""Strawberry types, queries and mutations of the notifier service (thin: they call the service)."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import aclosing
from datetime import datetime
from decimal import Decimal

import strawberry

from services.notifier.inbox import service as inbox
from services.notifier.rules import service as rules
from shared import pubsub
from shared.db import read_session, unit_of_work
from shared.graphql import Info, MoneyType, PageInfo
from shared.ids import encode_id


@strawberry.type(name="AlertRule")
class AlertRuleType:
    id: strawberry.ID
    kind: str
    enabled: bool
    threshold: MoneyType | None = strawberry.field(
        description="LARGE_TRANSACTION: alert when money out reaches this amount."
    )
    category_id: strawberry.ID | None = strawberry.field(
        description="The ledger category the rule is limited to; null for every category."
    )

    @classmethod
    def of(cls, rule: rules.AlertRuleView) -> AlertRuleType:
        return cls(
            id=strawberry.ID(encode_id("AlertRule", rule.id)),
            kind=rule.kind,
            enabled=rule.enabled,
            threshold=MoneyType.of(rule.threshold) if rule.threshold else None,
            category_id=(
                strawberry.ID(encode_id("Category", rule.category_id)) if rule.category_id else None
            ),
        )


@strawberry.type(name="Notification")
class NotificationType:
    id: strawberry.ID
    kind: str
    title: str
    body: str
    created_at: datetime
    read_at: datetime | None

    @classmethod
    def of(cls, notification: inbox.NotificationView) -> NotificationType:
        return cls(
            id=strawberry.ID(encode_id("Notification", notification.id)),
            kind=notification.kind,
            title=notification.title,
            body=notification.body,
            created_at=notification.created_at,
            read_at=notification.read_at,
        )


@strawberry.type
class NotificationEdge:
    cursor: str
    node: NotificationType


@strawberry.type
class NotificationConnection:
    edges: list[NotificationEdge]
    page_info: PageInfo


@strawberry.input
class CreateAlertRuleInput:
    kind: str = strawberry.field(description="BUDGET_OVERSPENT or LARGE_TRANSACTION.")
    threshold: Decimal | None = strawberry.field(
        default=None, description="Required for LARGE_TRANSACTION; positive."
    )
    category_id: strawberry.ID | None = strawberry.field(
        default=None, description="Limit the rule to one category."
    )
    currency: str | None = strawberry.field(
        default=None, description="The threshold's currency (ISO 4217); USD by default."
    )


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


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def create_alert_rule(self, info: Info, input: CreateAlertRuleInput) -> AlertRuleType:
        user_id = info.context.require_user()
        async with unit_of_work() as work:
            rule = await rules.create_alert_rule(
                work,
                user_id,
                kind=input.kind,
                threshold=input.threshold,
                currency=input.currency,
                category_id=input.category_id,
            )
        return AlertRuleType.of(rule)

    @strawberry.mutation
    async def update_alert_rule(
        self, info: Info, id: strawberry.ID, enabled: bool
    ) -> AlertRuleType:
        user_id = info.context.require_user()
        async with unit_of_work() as work:
            rule = await rules.set_alert_rule_enabled(work, user_id, id, enabled)
        return AlertRuleType.of(rule)

    @strawberry.mutation
    async def mark_notifications_read(self, info: Info, ids: list[strawberry.ID]) -> int:
        """How many of them were unread until now. NOT_FOUND, changing nothing, if any id is
        not one of the caller's notifications (at most 100 ids).
        """
        user_id = info.context.require_user()
        async with unit_of_work() as work:
            return await inbox.mark_notifications_read(work, user_id, ids)


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def notifications(self, info: Info) -> AsyncGenerator[NotificationType, None]:
        """The caller's new notifications, as they are stored."""
        user_id = info.context.require_user()
        events = pubsub.subscribe(inbox.live_topic(user_id))
        # Close the subscription as soon as the client goes, not when it is garbage collected.
        async with aclosing(events):  # type: ignore[type-var]
            async for payload in events:
                yield NotificationType.of(inbox.NotificationView.from_payload(payload))
