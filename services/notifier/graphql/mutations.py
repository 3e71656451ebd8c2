"""The notifier's mutations: creating and switching alert rules, marking notifications read."""

from __future__ import annotations

import strawberry

from services.notifier.graphql.types import AlertRuleType, CreateAlertRuleInput
from services.notifier.inbox import service as inbox
from services.notifier.rules import service as rules
from shared.db import unit_of_work
from shared.graphql import Info


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
