"""A user's alerts as a whole: the sections of their export, and the deletion of everything.

Deleting also forgets the delivery jobs still waiting in the outbox; a job the broker already
holds finds its delivery gone and sends nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncGenerator

from services.notifier.models import (
    AlertRule,
    Delivery,
    Notification,
    PushSubscription,
    Webhook,
    WebhookDelivery,
)
from services.notifier.user_data import repository
from shared import outbox
from shared.db import UnitOfWork, read_session
from shared.export import JSONObject, Section, moment, money, one, paged
from shared.ids import encode_id
from shared.money import Money
from shared.pagination import Keyset


def export_sections(user_id: uuid.UUID) -> list[Section]:
    """The notifier's part of the user's export, read when the document is written."""
    return [
        Section("notificationSettings", lambda: one(lambda: _recipient(user_id)), many=False),
        Section("alertRules", lambda: _rules(user_id)),
        Section("notifications", lambda: _notifications(user_id)),
        Section("pushSubscriptions", lambda: _push_subscriptions(user_id)),
        Section("webhooks", lambda: _webhooks(user_id)),
        Section("notificationDeliveries", lambda: _deliveries(user_id)),
        Section("deliverySettings", lambda: one(lambda: _settings(user_id)), many=False),
    ]


async def delete_user_data(work: UnitOfWork, user_id: uuid.UUID) -> dict[str, int]:
    """Delete every row of the user in the notifier and the emails still queued for them, in
    `work`; how many rows went, by table."""
    unsent = await repository.deliveries_still_pending(work.session, user_id)
    await outbox.forget_messages_about(work, unsent)
    return await repository.delete_everything(work.session, user_id)


async def _recipient(user_id: uuid.UUID) -> JSONObject | None:
    async with read_session() as session:
        row = await repository.recipient(session, user_id)
    if row is None:
        return None
    return {
        "email": row.email,
        "timeZone": row.time_zone,
        "locale": row.locale,
        "updatedAt": moment(row.updated_at),
    }


def _rules(user_id: uuid.UUID) -> AsyncGenerator[JSONObject, None]:
    async def fetch(after: uuid.UUID | None, limit: int) -> list[AlertRule]:
        async with read_session() as session:
            return await repository.rules_after(session, user_id, after, limit)

    return paged(fetch, lambda row: row.id, _rule)


def _notifications(user_id: uuid.UUID) -> AsyncGenerator[JSONObject, None]:
    async def fetch(after: Keyset[dt.datetime] | None, limit: int) -> list[Notification]:
        async with read_session() as session:
            return await repository.notifications_after(session, user_id, after, limit)

    return paged(fetch, lambda row: Keyset(row.created_at, row.id), _notification)


def _push_subscriptions(user_id: uuid.UUID) -> AsyncGenerator[JSONObject, None]:
    async def fetch(after: uuid.UUID | None, limit: int) -> list[PushSubscription]:
        async with read_session() as session:
            return await repository.push_subscriptions_after(session, user_id, after, limit)

    return paged(fetch, lambda row: row.id, _push_subscription)


async def _webhooks(user_id: uuid.UUID) -> AsyncGenerator[JSONObject, None]:
    """Each webhook with its delivery log (at most 50 attempts each); never its secret."""

    async def fetch(after: uuid.UUID | None, limit: int) -> list[Webhook]:
        async with read_session() as session:
            return await repository.webhooks_after(session, user_id, after, limit)

    after: uuid.UUID | None = None
    while True:
        page = await fetch(after, 100)
        if not page:
            return
        async with read_session() as session:
            log = await repository.webhook_deliveries(session, user_id, [row.id for row in page])
        by_webhook: dict[uuid.UUID, list[WebhookDelivery]] = {}
        for attempt in log:
            by_webhook.setdefault(attempt.webhook_id, []).append(attempt)
        for row in page:
            yield _webhook(row, by_webhook.get(row.id, []))
        after = page[-1].id


def _push_subscription(row: PushSubscription) -> JSONObject:
    # The browser's keys stay out: the auth secret is a secret, and neither is the user's data.
    return {
        "id": encode_id("PushSubscription", row.id),
        "endpoint": row.endpoint,
        "userAgent": row.user_agent,
        "createdAt": moment(row.created_at),
        "lastDeliveredAt": moment(row.last_delivered_at),
    }


def _webhook(row: Webhook, log: list[WebhookDelivery]) -> JSONObject:
    return {
        "id": encode_id("Webhook", row.id),
        "url": row.url,
        "description": row.description,
        "kinds": row.kinds,
        "enabled": row.enabled,
        "disabledReason": row.disabled_reason,
        "consecutiveFailures": row.consecutive_failures,
        "createdAt": moment(row.created_at),
        "updatedAt": moment(row.updated_at),
        "deliveries": [
            {
                "notificationId": encode_id("Notification", attempt.notification_id),
                "attemptedAt": moment(attempt.attempted_at),
                "outcome": attempt.outcome,
                "statusCode": attempt.status_code,
                "error": attempt.error,
                "durationMs": attempt.duration_ms,
            }
            for attempt in log
        ],
    }


def _rule(row: AlertRule) -> JSONObject:
    threshold = None
    if row.threshold_minor is not None and row.threshold_currency is not None:
        threshold = money(Money(row.threshold_minor, row.threshold_currency))
    return {
        "id": encode_id("AlertRule", row.id),
        "kind": row.kind,
        "enabled": row.enabled,
        "threshold": threshold,
        "categoryId": encode_id("Category", row.category_id) if row.category_id else None,
        "accountId": encode_id("Account", row.account_id) if row.account_id else None,
        "tagId": encode_id("Tag", row.tag_id) if row.tag_id else None,
        # The kind's other parameters, as stored: {"percents": [80, 100], "daysAhead": 3, ...}.
        "parameters": dict(row.parameters or {}),
        "channels": list(row.channels or []),
        "snoozedUntil": moment(row.snoozed_until),
        "createdAt": moment(row.created_at),
    }


def _notification(row: Notification) -> JSONObject:
    return {
        "id": encode_id("Notification", row.id),
        # Null once the user deleted the rule that raised it.
        "alertRuleId": encode_id("AlertRule", row.rule_id) if row.rule_id else None,
        "kind": row.kind,
        "title": row.title,
        "body": row.body,
        "createdAt": moment(row.created_at),
        "readAt": moment(row.read_at),
        # The alert's structured facts (amounts as strings, ids as global ids), if kept.
        "data": dict(row.data) if row.data is not None else None,
    }


def _deliveries(user_id: uuid.UUID) -> AsyncGenerator[JSONObject, None]:
    async def fetch(after: uuid.UUID | None, limit: int) -> list[Delivery]:
        async with read_session() as session:
            return await repository.deliveries_after(session, user_id, after, limit)

    return paged(fetch, lambda row: row.id, _delivery)


def _delivery(row: Delivery) -> JSONObject:
    return {
        "notificationId": encode_id("Notification", row.notification_id),
        "channel": row.channel,
        "status": row.status,
        "reason": row.reason,
        "attempts": row.attempts,
        "sentAt": moment(row.sent_at),
        "createdAt": moment(row.created_at),
        "updatedAt": moment(row.updated_at),
    }


async def _settings(user_id: uuid.UUID) -> JSONObject | None:
    async with read_session() as session:
        row = await repository.delivery_settings(session, user_id)
    if row is None:
        return None
    return {
        "quietStartMinute": row.quiet_start_minute,
        "quietEndMinute": row.quiet_end_minute,
        "digestHour": row.digest_hour,
        "digestKinds": row.digest_kinds,
        "rateLimits": row.rate_limits,
        "emailOffKinds": row.email_off_kinds,
        "updatedAt": moment(row.updated_at),
    }
