"""The notifier's Dramatiq actors (thin: parse the message, open a unit of work, call service)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from services.notifier.delivery import service as delivery
from services.notifier.evaluation import service as evaluation
from services.notifier.evaluation.announcement import BankConnectionChanged, TransactionsChanged
from services.notifier.queue import (
    BANK_CONNECTION_ACTOR,
    QUEUE,
    SCHEDULED_ALERTS_ACTOR,
    TRANSACTIONS_CHANGED_ACTOR,
)
from shared.db import unit_of_work
from shared.logging import get_logger
from shared.messaging import actor

log = get_logger(__name__)


@actor(QUEUE, max_retries=8, throws=(ValueError,))
async def on_transactions_changed(
    user_id: str, transaction_ids: list[str], months: list[str]
) -> None:
    """Evaluate a user's alert rules after the ledger announced changed transactions.

    Idempotent: notifications are deduplicated in the database, so a redelivered or concurrent
    message stores and delivers nothing twice. A malformed message (ValueError) is not retried.
    """
    change = TransactionsChanged.parse(user_id, transaction_ids, months)
    async with unit_of_work() as work:
        await evaluation.evaluate_transactions_changed(work, change)


# api.SUBSCRIPTIONS sends the ledger's announcements by this name: a mismatch would strand them.
if on_transactions_changed.actor_name != TRANSACTIONS_CHANGED_ACTOR:
    raise RuntimeError("the notifier subscribes an actor of another name")


@actor(QUEUE, max_retries=8, throws=(ValueError,))
async def on_bank_connection_needs_attention(
    user_id: str,
    item_id: str,
    institution_name: str,
    status: str,
    error_code: str | None,
    observed_at: str,
) -> None:
    """Tell the user a linked bank needs them, after the sync service announced it.

    Idempotent (a dedupe key per item, status and day). A malformed message (ValueError) is
    not retried.
    """
    change = BankConnectionChanged.parse(
        user_id, item_id, institution_name, status, error_code, observed_at
    )
    async with unit_of_work() as work:
        await evaluation.evaluate_bank_connection(work, change)


@actor(QUEUE, max_retries=4, throws=(ValueError,))
async def evaluate_scheduled_alerts(user_id: str, at: str) -> None:
    """Evaluate one user's rules of the kinds a clock drives, as of the scheduler's pass at
    `at` (an ISO moment). Idempotent: what was raised before is deduplicated."""
    moment = datetime.fromisoformat(at)
    if moment.tzinfo is None:
        raise ValueError("`at` must carry a time zone offset")
    async with unit_of_work() as work:
        await evaluation.evaluate_scheduled(work, uuid.UUID(user_id), moment)


# The composition root subscribes, and the scheduler's pass queues, by these names.
if on_bank_connection_needs_attention.actor_name != BANK_CONNECTION_ACTOR:
    raise RuntimeError("the bank connection subscription names an actor of another name")
if evaluate_scheduled_alerts.actor_name != SCHEDULED_ALERTS_ACTOR:
    raise RuntimeError("the scheduler's pass queues an actor of another name")


@actor(QUEUE, max_retries=6, min_backoff_ms=5_000, throws=(ValueError,))
async def deliver_notification(delivery_id: str) -> None:
    """Send one delivery (a notification through one channel), once.

    The job claims the delivery's row with a lease (delivery.DELIVERY_LEASE), calls the
    channel's Sender outside any transaction, and records SENT, a retry with backoff (the
    periodic pass queues it again when due) or FAILED with the reason. A duplicate message that
    finds the row held does nothing: the holder records the outcome, or, if it crashed between
    the send and the record, the periodic pass queues the delivery again once the lease expired
    (at least once, never twice within a minute).
    """
    await _deliver(uuid.UUID(delivery_id))


async def _deliver(delivery_id: uuid.UUID) -> None:
    # Claim in one short transaction, send outside any (on SQLite it would block every writer).
    async with unit_of_work() as work:
        claim = await delivery.claim_delivery(work, delivery_id)
    if claim.busy:
        log.info("delivery_held_elsewhere", delivery_id=str(delivery_id))
        return
    if claim.outgoing is None:
        return
    result = await delivery.send(claim)
    async with unit_of_work() as work:
        await delivery.record_attempt(work, claim, result)


@actor(QUEUE, max_retries=6, min_backoff_ms=5_000, throws=(ValueError,))
async def deliver_notification_email(notification_id: str) -> None:
    """Email one notification: for jobs queued before deliveries had rows of their own (they
    now deliver its EMAIL row, once, like deliver_notification)."""
    async with unit_of_work() as work:
        delivery_id = await delivery.email_delivery_of(work, uuid.UUID(notification_id))
    if delivery_id is not None:
        await _deliver(delivery_id)


@actor(QUEUE, max_retries=6, min_backoff_ms=5_000, throws=(ValueError,))
async def send_digest(user_id: str, day: str) -> None:
    """Send a user's daily digest of `day` (ISO date): one email with every notification that
    waited for it, then each of them SENT (or FAILED with the reason). Once per day: a repeat
    finds the day's digest sent; a crash before the record sends again after the lease."""
    person, for_day = uuid.UUID(user_id), date.fromisoformat(day)
    async with unit_of_work() as work:
        batch = await delivery.claim_digest(work, person, for_day)
    if batch is None:
        return
    result = await delivery.send_digest(batch)
    async with unit_of_work() as work:
        await delivery.record_digest(work, batch, result)
    log.info("digest_sent", user_id=user_id, day=day, outcome=result.outcome.value)


# Delivery queues jobs to these actors by name (the service layer may not import actors).
if (deliver_notification.actor_name, send_digest.actor_name) != (
    delivery.DELIVER_ACTOR,
    delivery.DIGEST_ACTOR,
):
    raise RuntimeError("delivery queues jobs to actors of other names")
