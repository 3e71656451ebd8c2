"""The notifier's mutations: creating, changing and deleting alert rules, marking notifications
read."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from services.notifier.delivery import preferences
from services.notifier.graphql.alert_rules import (
    AlertRuleType,
    CreateAlertRuleInput,
    CreateAlertRulePayload,
    DeleteAlertRuleInput,
    DeleteAlertRulePayload,
    SnoozeAlertRuleInput,
    SnoozeAlertRulePayload,
    UnsnoozeAlertRuleInput,
    UpdateAlertRuleInput,
    UpdateAlertRulePayload,
)
from services.notifier.graphql.notifications import (
    MarkNotificationsReadInput,
    MarkNotificationsReadPayload,
)
from services.notifier.graphql.settings import (
    NotificationSettings,
    UpdateNotificationSettingsInput,
    UpdateNotificationSettingsPayload,
)
from services.notifier.inbox import service as inbox
from services.notifier.rules import service as rules
from shared.db import unit_of_work
from shared.graphql import INPUT, Info


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def create_alert_rule(
        self, info: Info, input: Annotated[CreateAlertRuleInput, INPUT]
    ) -> CreateAlertRulePayload:
        """A new alert rule, enabled (at most 50 a user)."""
        user_id = info.context.require_user()
        async with unit_of_work() as work:
            rule = await rules.create_alert_rule(
                work,
                user_id,
                kind=str(input.kind.value),
                threshold=input.threshold,
                currency=input.currency,
                category_id=input.category_id,
                account_id=input.account_id,
                tag_id=input.tag_id,
                percents=input.percents,
                days_ahead=input.days_ahead,
                factor=input.factor,
                trailing_months=input.trailing_months,
                channels=(
                    [str(channel.value) for channel in input.channels]
                    if input.channels is not None
                    else None
                ),
            )
        return CreateAlertRulePayload(alert_rule=AlertRuleType.of(rule))

    @strawberry.mutation
    async def update_alert_rule(
        self, info: Info, input: Annotated[UpdateAlertRuleInput, INPUT]
    ) -> UpdateAlertRulePayload:
        """Switch an alert rule on or off, or change its threshold, scope, parameters or
        channels."""
        user_id = info.context.require_user()
        channels = _kept_unless_null(input.channels)
        changes = rules.AlertRuleChanges(
            enabled=_kept_unless_null(input.enabled),
            threshold=_kept_unless_null(input.threshold),
            currency=_kept_unless_null(input.currency),
            category_id=rules.KEEP if input.category_id is strawberry.UNSET else input.category_id,
            account_id=rules.KEEP if input.account_id is strawberry.UNSET else input.account_id,
            tag_id=rules.KEEP if input.tag_id is strawberry.UNSET else input.tag_id,
            percents=_kept_unless_null(input.percents),
            days_ahead=_kept_unless_null(input.days_ahead),
            factor=_kept_unless_null(input.factor),
            trailing_months=_kept_unless_null(input.trailing_months),
            channels=(
                channels if channels is rules.KEEP else [str(channel.value) for channel in channels]
            ),
        )
        async with unit_of_work() as work:
            rule = await rules.update_alert_rule(work, user_id, input.id, changes)
        return UpdateAlertRulePayload(alert_rule=AlertRuleType.of(rule))

    @strawberry.mutation
    async def snooze_alert_rule(
        self, info: Info, input: Annotated[SnoozeAlertRuleInput, INPUT]
    ) -> SnoozeAlertRulePayload:
        """Snooze an alert rule: it raises nothing until `until`, then goes on by itself."""
        user_id = info.context.require_user()
        async with unit_of_work() as work:
            rule = await rules.snooze_alert_rule(work, user_id, input.id, input.until)
        return SnoozeAlertRulePayload(alert_rule=AlertRuleType.of(rule))

    @strawberry.mutation
    async def unsnooze_alert_rule(
        self, info: Info, input: Annotated[UnsnoozeAlertRuleInput, INPUT]
    ) -> SnoozeAlertRulePayload:
        """Wake a snoozed alert rule now (a rule not snoozed stays as it is)."""
        user_id = info.context.require_user()
        async with unit_of_work() as work:
            rule = await rules.snooze_alert_rule(work, user_id, input.id, None)
        return SnoozeAlertRulePayload(alert_rule=AlertRuleType.of(rule))

    @strawberry.mutation
    async def delete_alert_rule(
        self, info: Info, input: Annotated[DeleteAlertRuleInput, INPUT]
    ) -> DeleteAlertRulePayload:
        """Delete an alert rule; the notifications it raised stay."""
        user_id = info.context.require_user()
        async with unit_of_work() as work:
            await rules.delete_alert_rule(work, user_id, input.id)
        return DeleteAlertRulePayload(deleted_alert_rule_id=input.id)

    @strawberry.mutation
    async def mark_notifications_read(
        self, info: Info, input: Annotated[MarkNotificationsReadInput, INPUT]
    ) -> MarkNotificationsReadPayload:
        """Mark notifications read. NOT_FOUND, changing nothing, if any id is not one of the
        caller's notifications."""
        user_id = info.context.require_user()
        async with unit_of_work() as work:
            marked = await inbox.mark_notifications_read(work, user_id, input.ids)
        return MarkNotificationsReadPayload(marked_count=marked)

    @strawberry.mutation
    async def update_notification_settings(
        self, info: Info, input: Annotated[UpdateNotificationSettingsInput, INPUT]
    ) -> UpdateNotificationSettingsPayload:
        """Change quiet hours, the daily digest, rate limits, the kinds never emailed or the
        emails' locale. BAD_USER_INPUT naming the field, changing nothing, on a bad value."""
        user_id = info.context.require_user()
        async with unit_of_work() as work:
            prefs = await preferences.update_preferences(work, user_id, _preference_changes(input))
        return UpdateNotificationSettingsPayload(
            notification_settings=NotificationSettings.of(prefs)
        )


def _preference_changes(input: UpdateNotificationSettingsInput) -> preferences.PreferenceChanges:
    keep = preferences.KEEP
    quiet: Any = keep
    if input.quiet_hours is not strawberry.UNSET:
        quiet = (
            None if input.quiet_hours is None else (input.quiet_hours.start, input.quiet_hours.end)
        )
    digest: Any = keep
    if input.digest is not strawberry.UNSET:
        digest = (
            None
            if input.digest is None
            else (
                input.digest.hour,
                None if input.digest.kinds is None else [k.value for k in input.digest.kinds],
            )
        )
    limits: Any = keep
    if input.rate_limits is not strawberry.UNSET:
        limits = [(limit.kind.value, limit.per_hour) for limit in input.rate_limits or []]
    off: Any = keep
    if input.email_off_kinds is not strawberry.UNSET:
        off = [kind.value for kind in input.email_off_kinds or []]
    locale: Any = keep
    if input.locale is not strawberry.UNSET and input.locale is not None:
        locale = input.locale
    return preferences.PreferenceChanges(
        quiet_hours=quiet, digest=digest, rate_limits=limits, email_off_kinds=off, locale=locale
    )


def _kept_unless_null(value: Any) -> Any:
    return rules.KEEP if value is None or value is strawberry.UNSET else value
