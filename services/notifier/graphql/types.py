"""The notifier's GraphQL types: alert rules, notifications and their connection, inputs."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from services.notifier.inbox import service as inbox
from services.notifier.rules import service as rules
from shared.graphql import MoneyType, PageInfo
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
