"""Queries on the webhooks and their delivery log. Each one is scoped by user."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier.models import Webhook, WebhookDelivery


async def webhooks(
    session: AsyncSession, user_id: uuid.UUID, *, enabled_only: bool = False
) -> Sequence[Webhook]:
    query = select(Webhook).where(Webhook.user_id == user_id)
    if enabled_only:
        query = query.where(Webhook.enabled.is_(True))
    result = await session.scalars(query.order_by(Webhook.created_at, Webhook.id))
    return result.all()


async def webhook(
    session: AsyncSession, user_id: uuid.UUID, webhook_id: uuid.UUID
) -> Webhook | None:
    return await session.scalar(
        select(Webhook).where(Webhook.user_id == user_id, Webhook.id == webhook_id)
    )


async def count(session: AsyncSession, user_id: uuid.UUID) -> int:
    found = await session.scalar(
        select(func.count()).select_from(Webhook).where(Webhook.user_id == user_id)
    )
    return int(found or 0)


def add(session: AsyncSession, row: Webhook | WebhookDelivery) -> None:
    session.add(row)


async def delete_webhook(session: AsyncSession, row: Webhook) -> None:
    # Its delivery log goes with it (ON DELETE CASCADE; SQLite enforces it with the pragma).
    await session.execute(
        delete(WebhookDelivery).where(
            WebhookDelivery.user_id == row.user_id, WebhookDelivery.webhook_id == row.id
        )
    )
    await session.delete(row)
    await session.flush()


async def recent_deliveries(
    session: AsyncSession, user_id: uuid.UUID, webhook_ids: Collection[uuid.UUID], per_webhook: int
) -> Sequence[WebhookDelivery]:
    """The newest `per_webhook` attempts of each webhook, in one query."""
    if not webhook_ids:
        return []
    position = (
        func.row_number()
        .over(
            partition_by=WebhookDelivery.webhook_id,
            order_by=(WebhookDelivery.attempted_at.desc(), WebhookDelivery.id.desc()),
        )
        .label("position")
    )
    ranked = (
        select(WebhookDelivery.id, position)
        .where(WebhookDelivery.user_id == user_id, WebhookDelivery.webhook_id.in_(webhook_ids))
        .subquery()
    )
    result = await session.scalars(
        select(WebhookDelivery)
        .join(ranked, ranked.c.id == WebhookDelivery.id)
        .where(ranked.c.position <= per_webhook)
        .order_by(WebhookDelivery.attempted_at.desc(), WebhookDelivery.id.desc())
    )
    return result.all()


async def delivered_already(
    session: AsyncSession,
    user_id: uuid.UUID,
    webhook_ids: Collection[uuid.UUID],
    idempotency_key: str,
) -> set[uuid.UUID]:
    """Which of the webhooks took this delivery already (an attempt answered 2xx)."""
    if not webhook_ids:
        return set()
    result = await session.scalars(
        select(WebhookDelivery.webhook_id).where(
            WebhookDelivery.user_id == user_id,
            WebhookDelivery.webhook_id.in_(webhook_ids),
            WebhookDelivery.idempotency_key == idempotency_key,
            WebhookDelivery.outcome == "SENT",
        )
    )
    return set(result)


async def count_failure(session: AsyncSession, user_id: uuid.UUID, webhook_id: uuid.UUID) -> int:
    """One more consecutive failure; how many there are now."""
    await session.execute(
        update(Webhook)
        .where(Webhook.user_id == user_id, Webhook.id == webhook_id)
        .values(consecutive_failures=Webhook.consecutive_failures + 1)
    )
    found = await session.scalar(
        select(Webhook.consecutive_failures).where(
            Webhook.user_id == user_id, Webhook.id == webhook_id
        )
    )
    return int(found or 0)


async def reset_failures(session: AsyncSession, user_id: uuid.UUID, webhook_id: uuid.UUID) -> None:
    await session.execute(
        update(Webhook)
        .where(Webhook.user_id == user_id, Webhook.id == webhook_id)
        .values(consecutive_failures=0)
    )


async def disable(
    session: AsyncSession, user_id: uuid.UUID, webhook_id: uuid.UUID, reason: str
) -> None:
    await session.execute(
        update(Webhook)
        .where(Webhook.user_id == user_id, Webhook.id == webhook_id)
        .values(enabled=False, disabled_reason=reason)
    )


async def prune_log(
    session: AsyncSession, user_id: uuid.UUID, webhook_id: uuid.UUID, keep: int
) -> None:
    """Keep the newest `keep` attempts of a webhook; older ones go."""
    newest = (
        select(WebhookDelivery.id)
        .where(WebhookDelivery.user_id == user_id, WebhookDelivery.webhook_id == webhook_id)
        .order_by(WebhookDelivery.attempted_at.desc(), WebhookDelivery.id.desc())
        .limit(keep)
    )
    await session.execute(
        delete(WebhookDelivery).where(
            WebhookDelivery.user_id == user_id,
            WebhookDelivery.webhook_id == webhook_id,
            WebhookDelivery.id.not_in(newest.scalar_subquery()),
        )
    )


async def batch_after(
    session: AsyncSession, after: uuid.UUID | None, limit: int
) -> Sequence[Webhook]:
    """Every user's webhooks by id, a batch at a time (for re-encryption)."""
    query = select(Webhook)
    if after is not None:
        query = query.where(Webhook.id > after)
    result = await session.scalars(query.order_by(Webhook.id).limit(limit))
    return result.all()
