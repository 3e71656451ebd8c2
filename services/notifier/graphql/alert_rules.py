"""Alert rules in the graph: the rule, where its notifications go, and the inputs and payloads
of creating, changing, snoozing and deleting one."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import Enum

import strawberry

from services.notifier.graphql.kinds import AlertKind
from services.notifier.rules import service as rules
from shared.graphql import MoneyType, Node, global_id, patch_field


@strawberry.enum(description="Where an alert rule's notifications go.")
class AlertChannel(Enum):
    IN_APP = strawberry.enum_value(
        "IN_APP", description="The notification centre, and live to open sessions."
    )
    EMAIL = strawberry.enum_value("EMAIL", description="An email to the user's address.")
    PUSH = strawberry.enum_value(
        "PUSH", description="A web push to the browsers the user subscribed."
    )
    WEBHOOK = strawberry.enum_value(
        "WEBHOOK", description="A signed POST to the user's webhook endpoints."
    )


def _global(kind: str, value: uuid.UUID | None) -> strawberry.ID | None:
    return global_id(kind, value) if value is not None else None


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
    account_id: strawberry.ID | None = strawberry.field(
        description="The account the rule is limited to (LARGE_TRANSACTION, LOW_BALANCE, "
        "BILL_LARGER_THAN_USUAL, NEW_MERCHANT); null for every account."
    )
    tag_id: strawberry.ID | None = strawberry.field(
        description="LARGE_TRANSACTION: the tag a transaction must carry; null for any."
    )
    percents: list[int] | None = strawberry.field(
        description="BUDGET_THRESHOLD, GOAL_MILESTONE: the percents alerted, ascending; null "
        "for other kinds."
    )
    days_ahead: int | None = strawberry.field(
        description="BILL_DUE: how many days before a bill's date to alert; null for other kinds."
    )
    factor: Decimal | None = strawberry.field(
        description="UNUSUAL_SPENDING: how many times its trailing average a category's month "
        "must reach; null for other kinds."
    )
    trailing_months: int | None = strawberry.field(
        description="UNUSUAL_SPENDING: how many months before the average covers; null for "
        "other kinds."
    )
    channels: list[AlertChannel] = strawberry.field(
        description="Where its notifications go (the notification centre keeps every one)."
    )
    snoozed_until: datetime | None = strawberry.field(
        description="While in the future, the rule raises nothing (snoozeAlertRule); null "
        "when not snoozed."
    )

    @classmethod
    def of(cls, rule: rules.AlertRuleView) -> AlertRuleType:
        parameters = rule.parameters
        return cls(
            id=global_id("AlertRule", rule.id),
            kind=AlertKind(rule.kind),
            enabled=rule.enabled,
            threshold=MoneyType.of(rule.threshold) if rule.threshold else None,
            category_id=_global("Category", rule.category_id),
            account_id=_global("Account", rule.account_id),
            tag_id=_global("Tag", rule.tag_id),
            percents=list(parameters.percents) if parameters.percents is not None else None,
            days_ahead=parameters.days_ahead,
            factor=parameters.factor,
            trailing_months=parameters.trailing_months,
            channels=[AlertChannel(channel) for channel in rule.channels],
            snoozed_until=rule.snoozed_until,
        )


@strawberry.input(
    description="A new alert rule, enabled. A parameter its kind does not take is refused "
    "(BAD_USER_INPUT naming the field); one it takes and that is left out gets its default."
)
class CreateAlertRuleInput:
    kind: AlertKind = strawberry.field(description="What the rule watches.")
    threshold: Decimal | None = strawberry.field(
        default=None,
        description="Required for LARGE_TRANSACTION (positive) and LOW_BALANCE (alert below it).",
    )
    category_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Limit the rule to one category (BUDGET_THRESHOLD, BUDGET_OVERSPENT, "
        "LARGE_TRANSACTION, UNUSUAL_SPENDING).",
    )
    currency: str | None = strawberry.field(
        default=None,
        description="The threshold's currency (ISO 4217); the user's currency by default.",
    )
    account_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Limit the rule to one account (LARGE_TRANSACTION, LOW_BALANCE, "
        "BILL_LARGER_THAN_USUAL, NEW_MERCHANT).",
    )
    tag_id: strawberry.ID | None = strawberry.field(
        default=None, description="LARGE_TRANSACTION: only transactions with this tag."
    )
    percents: list[int] | None = strawberry.field(
        default=None,
        description="BUDGET_THRESHOLD (default 80, 100) and GOAL_MILESTONE (default 25, 50, "
        "75, 100): 1 to 10 distinct percents, each 1 to 1000.",
    )
    days_ahead: int | None = strawberry.field(
        default=None, description="BILL_DUE: alert this many days ahead, 0 to 30 (default 3)."
    )
    factor: Decimal | None = strawberry.field(
        default=None,
        description="UNUSUAL_SPENDING: more than 1, at most 100, two decimals (default 1.5).",
    )
    trailing_months: int | None = strawberry.field(
        default=None,
        description="UNUSUAL_SPENDING: the months the average covers, 1 to 12 (default 3).",
    )
    channels: list[AlertChannel] | None = strawberry.field(
        default=None,
        description="Where its notifications go, at least one (default IN_APP and EMAIL).",
    )


@strawberry.input(
    description="What to change about an alert rule (its kind stays); null fields stay as they "
    "are, except categoryId."
)
class UpdateAlertRuleInput:
    id: strawberry.ID = strawberry.field(description="One of the caller's alert rules.")
    enabled: bool | None = patch_field("Whether it alerts from now on.")
    threshold: Decimal | None = patch_field(
        "LARGE_TRANSACTION: a new threshold, positive, in `currency` or else the rule's."
    )
    currency: str | None = patch_field(
        "LARGE_TRANSACTION: the threshold's new currency (ISO 4217)."
    )
    category_id: strawberry.ID | None = patch_field(
        "Limit the rule to this category instead; null for every category."
    )
    account_id: strawberry.ID | None = patch_field(
        "Limit the rule to this account instead; null for every account."
    )
    tag_id: strawberry.ID | None = patch_field(
        "LARGE_TRANSACTION: only transactions with this tag; null for any."
    )
    percents: list[int] | None = patch_field(
        "BUDGET_THRESHOLD, GOAL_MILESTONE: new percents (as in createAlertRule)."
    )
    days_ahead: int | None = patch_field("BILL_DUE: a new number of days ahead, 0 to 30.")
    factor: Decimal | None = patch_field("UNUSUAL_SPENDING: a new factor.")
    trailing_months: int | None = patch_field(
        "UNUSUAL_SPENDING: a new number of trailing months, 1 to 12."
    )
    channels: list[AlertChannel] | None = patch_field(
        "Where its notifications go from now on, at least one."
    )


@strawberry.input(description="An alert rule to snooze, and until when.")
class SnoozeAlertRuleInput:
    id: strawberry.ID = strawberry.field(description="One of the caller's alert rules.")
    until: datetime = strawberry.field(
        description="When it may raise alerts again: in the future, within a year, with an "
        "offset (e.g. 2026-12-01T09:00:00+01:00)."
    )


@strawberry.input(description="A snoozed alert rule to wake now.")
class UnsnoozeAlertRuleInput:
    id: strawberry.ID = strawberry.field(description="One of the caller's alert rules.")


@strawberry.type(description="What snoozeAlertRule or unsnoozeAlertRule changed.")
class SnoozeAlertRulePayload:
    alert_rule: AlertRuleType = strawberry.field(description="The rule as it is now.")


@strawberry.input(description="The alert rule to delete.")
class DeleteAlertRuleInput:
    id: strawberry.ID = strawberry.field(description="One of the caller's alert rules.")


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
