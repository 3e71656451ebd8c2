"""The notifier's Dramatiq actors (thin: parse the message, open a unit of work, call service)."""

from __future__ import annotations

import uuid
from datetime import datetime

import dramatiq

from services.notifier.delivery import mailer
from services.notifier.delivery import service as delivery
from services.notifier.delivery.compose import compose
from services.notifier.evaluation import service as evaluation
from services.notifier.evaluation.announcement import BankConnectionChanged, TransactionsChanged
from services.notifier.queue import (
    BANK_CONNECTION_ACTOR,
    QUEUE,
    SCHEDULED_ALERTS_ACTOR,
    TRANSACTIONS_CHANGED_ACTOR,
)
from shared.config import get_settings
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
async def deliver_notification_email(notification_id: str) -> None:
    """Email one notification to its user, once.

    One delivery at a time holds the notification's email (a claim with a lease); a duplicate
    message that finds it held retries later and then finds it sent. The email is recorded as
    sent after the SMTP server accepted it: a crash in between sends it again once the lease
    expires (at least once, never silently lost). Without TALLY_SMTP_URL nothing is sent.
    """
    settings = get_settings()
    if not settings.smtp_url:
        log.info("notification_email_disabled", notification_id=notification_id)
        return
    server = mailer.parse_smtp_url(settings.smtp_url)
    target = uuid.UUID(notification_id)
    # Claim in one short transaction, send outside any (on SQLite it would block every writer).
    async with unit_of_work() as work:
        claim = await delivery.claim_email(work, target)
    if claim.busy:
        raise dramatiq.Retry("another delivery of this email is in progress")
    if claim.email is None:
        return
    message = compose(claim.email, sender=settings.smtp_sender, public_url=settings.public_url)
    try:
        await mailer.send(server, message)
    except Exception:
        async with unit_of_work() as work:
            await delivery.release_email_claim(work, target)
        raise
    async with unit_of_work() as work:
        await delivery.record_email_sent(work, target)
    log.info("notification_emailed", notification_id=notification_id)


# Delivery queues emails to this actor by name (the service layer may not import actors).
if deliver_notification_email.actor_name != delivery.EMAIL_ACTOR:
    raise RuntimeError("delivery queues emails to an actor of another name")
