"""The notifier's GraphQL types: alert rules, notifications and their connection, the alert
kinds, and the inputs and payloads of its mutations."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import Enum

import strawberry
from strawberry.dataloader import DataLoader

from services.notifier.delivery import preferences as delivery_preferences
from services.notifier.delivery import service as delivery
from services.notifier.inbox import service as inbox
from services.notifier.rules import service as rules
from shared.db import read_session
from shared.graphql import Context, Info, MoneyType, Node, PageInfo
from shared.ids import encode_id


@strawberry.enum(description="What an alert is about.")
class AlertKind(Enum):
    BUDGET_THRESHOLD = strawberry.enum_value(
        rules.AlertKind.BUDGET_THRESHOLD.value,
        description="A category's month (or, with no category, the whole month's budgets "
        "together) reached a percent of its budget (`percents`, by default 80 and 100; once "
        "per category, month and percent).",
    )
    BUDGET_OVERSPENT = strawberry.enum_value(
        rules.AlertKind.BUDGET_OVERSPENT.value,
        description="A category spent more than its budget in a month (once per month).",
    )
    LARGE_TRANSACTION = strawberry.enum_value(
        rules.AlertKind.LARGE_TRANSACTION.value,
        description="Money out at or above a threshold (once per transaction); a transaction "
        "in another currency counts at the ledger's converted figure when the threshold is in "
        "the user's currency.",
    )
    LOW_BALANCE = strawberry.enum_value(
        rules.AlertKind.LOW_BALANCE.value,
        description="An account's balance below a threshold in its currency (once per "
        "account and month while it stays low).",
    )
    GOAL_MILESTONE = strawberry.enum_value(
        rules.AlertKind.GOAL_MILESTONE.value,
        description="A goal reached a percent of its target (`percents`, by default 25, 50, "
        "75 and 100; once per goal and percent).",
    )
    GOAL_BEHIND = strawberry.enum_value(
        rules.AlertKind.GOAL_BEHIND.value,
        description="A goal with a target date is behind schedule (once per goal and month).",
    )
    BILL_DUE = strawberry.enum_value(
        rules.AlertKind.BILL_DUE.value,
        description="A confirmed recurring bill is due within `daysAhead` days (once per bill "
        "and due date).",
    )
    BILL_LARGER_THAN_USUAL = strawberry.enum_value(
        rules.AlertKind.BILL_LARGER_THAN_USUAL.value,
        description="A recurring bill came in larger than its usual range (once per transaction).",
    )
    UNUSUAL_SPENDING = strawberry.enum_value(
        rules.AlertKind.UNUSUAL_SPENDING.value,
        description="A category's month reached `factor` times its average over the "
        "`trailingMonths` months before (once per category and month).",
    )
    BANK_CONNECTION_ATTENTION = strawberry.enum_value(
        rules.AlertKind.BANK_CONNECTION_ATTENTION.value,
        description="A linked bank needs the user: sign in again, or relink after an error "
        "(once per bank, status and day).",
    )
    NEW_MERCHANT = strawberry.enum_value(
        rules.AlertKind.NEW_MERCHANT.value,
        description="Money out to a payee the user never had a transaction with (once per payee).",
    )
    WEEKLY_SUMMARY = strawberry.enum_value(
        rules.AlertKind.WEEKLY_SUMMARY.value,
        description="Last week's money in and out and where most of it went, on Monday where "
        "the user lives (once per week).",
    )


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
    return strawberry.ID(encode_id(kind, value)) if value is not None else None


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
            id=strawberry.ID(encode_id("AlertRule", rule.id)),
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


@strawberry.enum(description="A way a notification reaches the user.")
class DeliveryChannel(Enum):
    IN_APP = strawberry.enum_value("IN_APP", description="The notification centre, and live.")
    EMAIL = strawberry.enum_value("EMAIL", description="An email (or a line in the digest).")
    PUSH = strawberry.enum_value("PUSH", description="A web push to the user's browsers.")
    WEBHOOK = strawberry.enum_value("WEBHOOK", description="A signed POST to the user's URL.")


@strawberry.enum(description="Where a delivery stands.")
class DeliveryStatus(Enum):
    PENDING = strawberry.enum_value(
        "PENDING",
        description="Not sent yet: on its way, held (quiet hours, the digest) or to be retried.",
    )
    SENT = strawberry.enum_value("SENT", description="The channel took it.")
    FAILED = strawberry.enum_value("FAILED", description="It will not be sent; see the reason.")


@strawberry.type(name="Delivery", description="A notification on its way through one channel.")
class DeliveryType:
    channel: DeliveryChannel = strawberry.field(description="The channel.")
    status: DeliveryStatus = strawberry.field(description="Where it stands.")
    reason: str | None = strawberry.field(
        description="Why it failed, waits or will be retried; null when nothing is to be said."
    )
    attempts: int = strawberry.field(description="How many times it was tried.")
    updated_at: datetime = strawberry.field(description="When its status last changed.")

    @classmethod
    def of(cls, view: delivery.DeliveryView) -> DeliveryType:
        return cls(
            channel=DeliveryChannel(view.channel),
            status=DeliveryStatus(view.status),
            reason=view.reason,
            attempts=view.attempts,
            updated_at=view.updated_at,
        )


def _deliveries_loader(context: Context) -> DataLoader[uuid.UUID, list[delivery.DeliveryView]]:
    user_id = context.require_user()

    async def batch(keys: list[uuid.UUID]) -> list[list[delivery.DeliveryView]]:
        async with read_session() as session:
            return await delivery.deliveries_of(session, user_id, keys)

    return DataLoader(load_fn=batch)


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
        loader = info.context.loader("notifier.deliveries", _deliveries_loader)
        return [DeliveryType.of(view) for view in await loader.load(self.notification_id)]

    @classmethod
    def of(cls, notification: inbox.NotificationView) -> NotificationType:
        return cls(
            id=strawberry.ID(encode_id("Notification", notification.id)),
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
    account_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="Limit the rule to this account instead; null for every account.",
    )
    tag_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="LARGE_TRANSACTION: only transactions with this tag; null for any.",
    )
    percents: list[int] | None = strawberry.field(
        default=strawberry.UNSET,
        description="BUDGET_THRESHOLD, GOAL_MILESTONE: new percents (as in createAlertRule).",
    )
    days_ahead: int | None = strawberry.field(
        default=strawberry.UNSET, description="BILL_DUE: a new number of days ahead, 0 to 30."
    )
    factor: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="UNUSUAL_SPENDING: a new factor."
    )
    trailing_months: int | None = strawberry.field(
        default=strawberry.UNSET,
        description="UNUSUAL_SPENDING: a new number of trailing months, 1 to 12.",
    )
    channels: list[AlertChannel] | None = strawberry.field(
        default=strawberry.UNSET,
        description="Where its notifications go from now on, at least one.",
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


@strawberry.type(description="Hours in which nothing is sent but in the app (held, then sent).")
class QuietHours:
    start: str = strawberry.field(description="Local time they start, HH:MM.")
    end: str = strawberry.field(
        description="Local time they end, HH:MM (before the start: they span midnight)."
    )


@strawberry.type(description="One email a day instead of single ones.")
class DailyDigest:
    hour: int = strawberry.field(description="The local hour it goes out, 0 to 23.")
    kinds: list[AlertKind] | None = strawberry.field(
        description="The kinds it gathers; null for every kind."
    )


@strawberry.type(description="At most so many notifications of a kind an hour, beyond the app.")
class RateLimit:
    kind: AlertKind = strawberry.field(description="The kind.")
    per_hour: int = strawberry.field(
        description="How many an hour at most; more go into the digest (email) or are marked "
        "FAILED (push, webhook). The app shows them all."
    )


@strawberry.type(description="How the caller is told beyond the app.")
class NotificationSettings:
    time_zone: str = strawberry.field(description="The caller's time zone (IANA), for the hours.")
    locale: str = strawberry.field(description="The locale emails are written in, e.g. en_GB.")
    quiet_hours: QuietHours | None = strawberry.field(description="Null: no quiet hours.")
    digest: DailyDigest | None = strawberry.field(description="Null: single emails only.")
    rate_limits: list[RateLimit] = strawberry.field(
        description="Per kind; kinds not listed allow defaultRateLimitPerHour."
    )
    default_rate_limit_per_hour: int = strawberry.field(
        description="The limit of kinds not listed in rateLimits."
    )
    email_off_kinds: list[AlertKind] = strawberry.field(
        description="Kinds never emailed (switched off here or by an email's unsubscribe link)."
    )

    @classmethod
    def of(cls, prefs: delivery_preferences.Preferences) -> NotificationSettings:
        quiet = prefs.quiet_hours
        digest = prefs.digest
        return cls(
            time_zone=prefs.time_zone,
            locale=prefs.locale,
            quiet_hours=(
                QuietHours(start=quiet.text(quiet.start_minute), end=quiet.text(quiet.end_minute))
                if quiet
                else None
            ),
            digest=(
                DailyDigest(
                    hour=digest.hour,
                    kinds=(
                        [AlertKind(kind) for kind in sorted(digest.kinds)]
                        if digest.kinds is not None
                        else None
                    ),
                )
                if digest
                else None
            ),
            rate_limits=[
                RateLimit(kind=AlertKind(kind), per_hour=limit)
                for kind, limit in sorted(prefs.rate_limits.items())
                if kind in AlertKind.__members__
            ],
            default_rate_limit_per_hour=delivery_preferences.DEFAULT_PER_HOUR,
            email_off_kinds=[
                AlertKind(kind)
                for kind in sorted(prefs.email_off_kinds)
                if kind in AlertKind.__members__
            ],
        )


@strawberry.input(description="Quiet hours, in the caller's time zone.")
class QuietHoursInput:
    start: str = strawberry.field(description="HH:MM, e.g. 22:00.")
    end: str = strawberry.field(description="HH:MM, e.g. 07:00 (before start: spans midnight).")


@strawberry.input(description="The daily digest.")
class DailyDigestInput:
    hour: int = strawberry.field(description="The local hour it goes out, 0 to 23.")
    kinds: list[AlertKind] | None = strawberry.field(
        default=None, description="The kinds it gathers; null for every kind."
    )


@strawberry.input(description="A per-kind rate limit.")
class RateLimitInput:
    kind: AlertKind = strawberry.field(description="The kind.")
    per_hour: int = strawberry.field(description="At most this many an hour, 1 to 1000.")


@strawberry.input(
    description="What to change in the caller's notification settings; absent "
    "fields stay as they are, null clears quiet hours or the digest."
)
class UpdateNotificationSettingsInput:
    quiet_hours: QuietHoursInput | None = strawberry.field(
        default=strawberry.UNSET, description="New quiet hours; null for none."
    )
    digest: DailyDigestInput | None = strawberry.field(
        default=strawberry.UNSET, description="The daily digest; null for single emails."
    )
    rate_limits: list[RateLimitInput] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces every per-kind limit."
    )
    email_off_kinds: list[AlertKind] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces the kinds never emailed."
    )
    locale: str | None = strawberry.field(
        default=strawberry.UNSET, description="The locale emails are written in, e.g. fr_CH."
    )


@strawberry.type(description="What updateNotificationSettings changed.")
class UpdateNotificationSettingsPayload:
    notification_settings: NotificationSettings = strawberry.field(
        description="The settings as they are now."
    )
