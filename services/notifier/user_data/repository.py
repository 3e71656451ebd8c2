"""Every query of a user's notifier data as a whole: in keyset pages for the export, and its
deletion. Each is scoped by the owning user."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier.models import (
    AlertRule,
    Delivery,
    DeliverySettings,
    Notification,
    PushSubscription,
    Recipient,
    Webhook,
    WebhookDelivery,
    metadata,
)
from shared.pagination import Keyset, after_keyset
from shared.user_rows import delete_user_rows


async def recipient(session: AsyncSession, user_id: uuid.UUID) -> Recipient | None:
    return await session.get(Recipient, user_id)


async def rules_after(
    session: AsyncSession, user_id: uuid.UUID, after: uuid.UUID | None, limit: int
) -> list[AlertRule]:
    statement = select(AlertRule).where(AlertRule.user_id == user_id)
    if after is not None:
        statement = statement.where(AlertRule.id > after)
    return list(await session.scalars(statement.order_by(AlertRule.id).limit(limit)))


async def push_subscriptions_after(
    session: AsyncSession, user_id: uuid.UUID, after: uuid.UUID | None, limit: int
) -> list[PushSubscription]:
    statement = select(PushSubscription).where(PushSubscription.user_id == user_id)
    if after is not None:
        statement = statement.where(PushSubscription.id > after)
    return list(await session.scalars(statement.order_by(PushSubscription.id).limit(limit)))


async def webhooks_after(
    session: AsyncSession, user_id: uuid.UUID, after: uuid.UUID | None, limit: int
) -> list[Webhook]:
    statement = select(Webhook).where(Webhook.user_id == user_id)
    if after is not None:
        statement = statement.where(Webhook.id > after)
    return list(await session.scalars(statement.order_by(Webhook.id).limit(limit)))


async def webhook_deliveries(
    session: AsyncSession, user_id: uuid.UUID, webhook_ids: list[uuid.UUID]
) -> list[WebhookDelivery]:
    """Every logged attempt of these webhooks (a bounded log), oldest first."""
    if not webhook_ids:
        return []
    statement = select(WebhookDelivery).where(
        WebhookDelivery.user_id == user_id, WebhookDelivery.webhook_id.in_(webhook_ids)
    )
    statement = statement.order_by(WebhookDelivery.attempted_at, WebhookDelivery.id)
    return list(await session.scalars(statement))


async def notifications_after(
    session: AsyncSession, user_id: uuid.UUID, after: Keyset[dt.datetime] | None, limit: int
) -> list[Notification]:
    """Newest first (created_at desc, id desc), along the inbox's index."""
    statement = select(Notification).where(Notification.user_id == user_id)
    if after is not None:
        statement = statement.where(after_keyset(Notification.created_at, Notification.id, after))
    statement = statement.order_by(Notification.created_at.desc(), Notification.id.desc())
    return list(await session.scalars(statement.limit(limit)))


async def deliveries_after(
    session: AsyncSession, user_id: uuid.UUID, after: uuid.UUID | None, limit: int
) -> list[Delivery]:
    statement = select(Delivery).where(Delivery.user_id == user_id)
    if after is not None:
        statement = statement.where(Delivery.id > after)
    return list(await session.scalars(statement.order_by(Delivery.id).limit(limit)))


async def delivery_settings(session: AsyncSession, user_id: uuid.UUID) -> DeliverySettings | None:
    return await session.get(DeliverySettings, user_id)


async def deliveries_still_pending(session: AsyncSession, user_id: uuid.UUID) -> list[uuid.UUID]:
    """The ids of the user's deliveries not yet sent nor failed (their jobs may be queued)."""
    result = await session.scalars(
        select(Delivery.id).where(Delivery.user_id == user_id, Delivery.status == "PENDING")
    )
    return list(result)


async def delete_everything(session: AsyncSession, user_id: uuid.UUID) -> dict[str, int]:
    """Every row of the user in every notifier table (tables added later included)."""
    return await delete_user_rows(session, metadata, user_id)
