"""The notifier's public interface: the only module other services may import."""

from __future__ import annotations

import uuid
from datetime import datetime

from services.ledger import api as ledger
from services.notifier.delivery import preferences, render, unsubscribe
from services.notifier.delivery import service as delivery
from services.notifier.evaluation import service as evaluation
from services.notifier.push import service as push
from services.notifier.queue import BANK_CONNECTION_ACTOR, QUEUE, TRANSACTIONS_CHANGED_ACTOR
from services.notifier.recipients import service as recipients
from services.notifier.rules import service as rules
from services.notifier.user_data import service as user_data
from services.notifier.webhooks import service as webhooks
from shared.db import UnitOfWork, unit_of_work
from shared.events import Subscription
from shared.export import Section

__all__ = [
    "QUEUE",
    "SUBSCRIPTIONS",
    "bank_connection_subscription",
    "delete_user_data",
    "enqueue_scheduled_alerts",
    "export_user_data",
    "provision_user",
    "release_due_deliveries",
    "rotate_encryption_keys",
    "set_time_zone",
    "unsubscribe_page",
]

# What the notifier listens to, on its own queue: the ledger's changed transactions are
# evaluated against the user's alert rules.
SUBSCRIPTIONS = (Subscription(ledger.TRANSACTIONS_CHANGED, QUEUE, TRANSACTIONS_CHANGED_ACTOR),)


def bank_connection_subscription(event: str) -> Subscription:
    """How the notifier listens to "a linked bank needs the user" (BANK_CONNECTION_ATTENTION
    alerts): the composition root passes the sync service's event name, which the notifier
    may not import. The event's payload: {"user_id", "item_id", "institution_name",
    "status": "LOGIN_REQUIRED" | "ERROR", "error_code", "observed_at": ISO moment}."""
    return Subscription(event, QUEUE, BANK_CONNECTION_ACTOR)


async def enqueue_scheduled_alerts(now: datetime | None = None) -> int:
    """The scheduler's pass (tally scheduler, and `tally serve`'s periodic loop): queue an
    evaluation of the kinds a clock drives (bills due, goals, low balances, the weekly
    summary) for every user with such a rule, in their time zone, as of `now` (default: now);
    how many users. Safe to run as often as wanted: each alert is raised once."""
    return await evaluation.enqueue_scheduled_alerts(now)


async def provision_user(
    work: UnitOfWork, user_id: uuid.UUID, email: str, time_zone: str = "UTC"
) -> None:
    """Set a new user up for alerts, inside the sign-up transaction.

    Stores the address notifications are emailed to and the user's time zone (the notifier
    never reads the gateway's users) and creates the default, enabled BUDGET_OVERSPENT rule
    covering every budget. Idempotent. Raises BadUserInput("email") for an address it cannot
    send to, BadUserInput("timeZone") for a zone that is not an IANA name.
    """
    await recipients.set_recipient(work, user_id, email, time_zone)
    await rules.ensure_default_rule(work, user_id)


async def set_time_zone(work: UnitOfWork, user_id: uuid.UUID, time_zone: str) -> None:
    """The user's new time zone, inside the gateway's transaction that changes it."""
    await recipients.set_time_zone(work, user_id, time_zone)


def export_user_data(user_id: uuid.UUID) -> list[Section]:
    """The notifier's part of the user's export (shared.export): where alerts go, the alert
    rules, and every notification, read page by page when the document is written."""
    return user_data.export_sections(user_id)


async def delete_user_data(work: UnitOfWork, user_id: uuid.UUID) -> dict[str, int]:
    """Delete every row of the user in the notifier, and the emails still queued for them,
    inside the caller's transaction; how many rows went, by table. A message about the user
    that arrives later (an announcement, an email) finds nothing and does nothing."""
    return await user_data.delete_user_data(work, user_id)


async def rotate_encryption_keys(batch_size: int = 200) -> int:
    """Re-encrypt the notifier's secrets (webhooks' signing secrets, push subscriptions' auth
    secrets) under the newest encryption key, in short batches; may be run again. Returns how
    many were re-encrypted."""
    return await webhooks.reencrypt_secrets(batch_size) + await push.reencrypt_auth_secrets(
        batch_size
    )


# At most this many batches of deliveries a pass (a backlog left after them waits a tick).
PASS_BATCHES = 20


async def release_due_deliveries() -> delivery.PassReport:
    """The periodic pass (the scheduler's, every tick): queue the deliveries whose time came
    (quiet hours over, a retry's wait past, a lost job's lease expired), a transaction per
    batch, and the daily digests whose hour came. Idempotent."""
    released = 0
    for _ in range(PASS_BATCHES):
        async with unit_of_work() as work:
            batch = await delivery.release_due_batch(work)
        released += batch
        if batch < delivery.PASS_BATCH:
            break
    async with unit_of_work() as work:
        digests = await delivery.queue_due_digests(work)
    return delivery.PassReport(released=released, digests=digests)


async def unsubscribe_page(token: str, *, confirm: bool, action: str) -> tuple[int, str]:
    """The one-click unsubscribe link of an email (RFC 8058), no login: with `confirm` (the
    POST a mail client or the confirm page sends) that kind's emails are switched off; without
    (a GET: a link scanner must not unsubscribe anyone), a page that asks. The HTTP status and
    the HTML page; 400 for a token that is not valid."""
    found = unsubscribe.verify(token)
    if found is None:
        return 400, render.unsubscribe_page(kind=None, token="", done=False, action=action)
    if confirm:
        kinds = (
            [kind.value for kind in rules.AlertKind]
            if found.kind == unsubscribe.ALL_KINDS
            else [found.kind]
        )
        async with unit_of_work() as work:
            await preferences.switch_email_off(work, found.user_id, kinds)
    return 200, render.unsubscribe_page(kind=found.kind, token=token, done=confirm, action=action)
