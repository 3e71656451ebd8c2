"""The notifier's mutations: creating, changing and deleting alert rules, marking notifications
read."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from services.notifier.graphql.types import (
    AlertRuleType,
    CreateAlertRuleInput,
    CreateAlertRulePayload,
    DeleteAlertRuleInput,
    DeleteAlertRulePayload,
    MarkNotificationsReadInput,
    MarkNotificationsReadPayload,
    UpdateAlertRuleInput,
    UpdateAlertRulePayload,
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
            )
        return CreateAlertRulePayload(alert_rule=AlertRuleType.of(rule))

    @strawberry.mutation
    async def update_alert_rule(
        self, info: Info, input: Annotated[UpdateAlertRuleInput, INPUT]
    ) -> UpdateAlertRulePayload:
        """Switch an alert rule on or off, or change its threshold or category."""
        user_id = info.context.require_user()
        changes = rules.AlertRuleChanges(
            enabled=_kept_unless_null(input.enabled),
            threshold=_kept_unless_null(input.threshold),
            currency=_kept_unless_null(input.currency),
            category_id=rules.KEEP if input.category_id is strawberry.UNSET else input.category_id,
        )
        async with unit_of_work() as work:
            rule = await rules.update_alert_rule(work, user_id, input.id, changes)
        return UpdateAlertRulePayload(alert_rule=AlertRuleType.of(rule))

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


def _kept_unless_null(value: Any) -> Any:
    return rules.KEEP if value is None or value is strawberry.UNSET else value
