"""A user's alerts as a whole: the sections of their export, and the deletion of everything.

Deleting also forgets the delivery jobs still waiting in the outbox; a job the broker already
holds finds its delivery gone and sends nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncGenerator

from services.notifier.models import AlertRule, Delivery, Notification
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
        "data": row.data,
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
