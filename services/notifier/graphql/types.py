"""The notifier's GraphQL types: alert rules, notifications and their connection, the alert
kinds, and the inputs and payloads of its mutations."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import Enum

import strawberry

from services.notifier.inbox import service as inbox
from services.notifier.rules import service as rules
from shared.db import read_session
from shared.graphql import MoneyType, Node, PageInfo
from shared.ids import encode_id


@strawberry.enum(description="What an alert is about.")
class AlertKind(Enum):
    BUDGET_OVERSPENT = strawberry.enum_value(
        rules.AlertKind.BUDGET_OVERSPENT.value,
        description="A category spent more than its budget in a month (once per month).",
    )
    LARGE_TRANSACTION = strawberry.enum_value(
        rules.AlertKind.LARGE_TRANSACTION.value,
        description="Money out at or above a threshold (once per transaction).",
    )


@strawberry.type(name="AlertRule", description="When to tell the user something.")
class AlertRuleType(Node):
    kind: AlertKind = strawberry.field(description="What the rule watches.")
    enabled: bool = strawberry.field(description="Whether it alerts; switch with updateAlertRule.")
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
            kind=AlertKind(rule.kind),
            enabled=rule.enabled,
            threshold=MoneyType.of(rule.threshold) if rule.threshold else None,
            category_id=(
                strawberry.ID(encode_id("Category", rule.category_id)) if rule.category_id else None
            ),
        )


@strawberry.type(name="Notification", description="Something the user was told.")
class NotificationType(Node):
    kind: AlertKind = strawberry.field(description="The kind of alert that raised it.")
    title: str = strawberry.field(description="One line, e.g. for a list or a push title.")
    body: str = strawberry.field(description="The whole message, in plain text.")
    created_at: datetime = strawberry.field(description="When it was raised.")
    read_at: datetime | None = strawberry.field(
        description="When the user marked it read; null while unread."
    )

    @classmethod
    def of(cls, notification: inbox.NotificationView) -> NotificationType:
        return cls(
            id=strawberry.ID(encode_id("Notification", notification.id)),
            kind=AlertKind(notification.kind),
            title=notification.title,
            body=notification.body,
            created_at=notification.created_at,
            read_at=notification.read_at,
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


@strawberry.input(description="A new alert rule, enabled.")
class CreateAlertRuleInput:
    kind: AlertKind = strawberry.field(description="What the rule watches.")
    threshold: Decimal | None = strawberry.field(
        default=None, description="Required for LARGE_TRANSACTION; positive."
    )
    category_id: strawberry.ID | None = strawberry.field(
        default=None, description="Limit the rule to one category."
    )
    currency: str | None = strawberry.field(
        default=None,
        description="The threshold's currency (ISO 4217); the user's currency by default.",
    )


@strawberry.input(
    description="What to change about an alert rule (its kind stays); null fields stay as they "
    "are, except categoryId."
)
class UpdateAlertRuleInput:
    id: strawberry.ID = strawberry.field(description="One of the caller's alert rules.")
    enabled: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Whether it alerts from now on."
    )
    threshold: Decimal | None = strawberry.field(
        default=strawberry.UNSET,
        description="LARGE_TRANSACTION: a new threshold, positive, in `currency` or else the "
        "rule's.",
    )
    currency: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="LARGE_TRANSACTION: the threshold's new currency (ISO 4217).",
    )
    category_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="Limit the rule to this category instead; null for every category.",
    )


@strawberry.input(description="The alert rule to delete.")
class DeleteAlertRuleInput:
    id: strawberry.ID = strawberry.field(description="One of the caller's alert rules.")


@strawberry.input(description="Notifications the user has seen.")
class MarkNotificationsReadInput:
    ids: list[strawberry.ID] = strawberry.field(
        description="At most 100 of the caller's notifications."
    )


@strawberry.type(description="What createAlertRule made.")
class CreateAlertRulePayload:
    alert_rule: AlertRuleType = strawberry.field(description="The new rule.")


@strawberry.type(description="What updateAlertRule changed.")
class UpdateAlertRulePayload:
    alert_rule: AlertRuleType = strawberry.field(description="The rule as it is now.")


@strawberry.type(description="What deleteAlertRule removed.")
class DeleteAlertRulePayload:
    deleted_alert_rule_id: strawberry.ID = strawberry.field(
        description="The id of the rule that is gone (the notifications it raised stay)."
    )


@strawberry.type(description="What markNotificationsRead changed.")
class MarkNotificationsReadPayload:
    marked_count: int = strawberry.field(description="How many of them were unread until now.")
