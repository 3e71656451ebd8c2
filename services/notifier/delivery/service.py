"""Delivering notifications beyond the inbox: a delivery row per (notification, channel),
written in the transaction that raised the notification; live publishing after commit; a job
per delivery that claims its row with a lease, calls the channel's Sender and records SENT,
a retry with backoff, or FAILED with the reason; quiet hours, the daily digest and per-kind
rate limits; and the periodic pass that releases what waited.

At least once: a delivery is recorded SENT after its channel took it; a crash in between sends
it again, but only once its lease (DELIVERY_LEASE) expired. Functions take a unit of work or a
session and never commit.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier.delivery import email, mailer, preferences, render, repository
from services.notifier.delivery import schedule as timing
from services.notifier.delivery.channels import SENDERS
from services.notifier.delivery.outgoing import (
    Channel,
    Outcome,
    OutgoingNotification,
    SendResult,
)
from services.notifier.delivery.preferences import Preferences
from services.notifier.inbox.service import NotificationView, live_topic
from services.notifier.models import Delivery, Notification
from services.notifier.queue import QUEUE
from services.notifier.rules.service import channels_of_rule as rule_channels
from shared import clock, pubsub
from shared.config import get_settings
from shared.db import UnitOfWork
from shared.ids import encode_id
from shared.logging import get_logger
from shared.messaging import message, send_after_commit

log = get_logger(__name__)

DELIVER_ACTOR = "deliver_notification"
DIGEST_ACTOR = "send_digest"
# How long one job may hold a delivery before another may take over: it outlasts a send with
# its timeouts (SMTP's is 30 s), so a crashed worker's claim expires, and never less than a
# minute, so a crash never sends the same message twice within a minute.
DELIVERY_LEASE = dt.timedelta(minutes=2)
# How long the periodic pass leaves a delivery whose job is on its way (a lost job is then
# queued again).
QUEUED_GRACE = dt.timedelta(minutes=5)
PASS_BATCH = 500
CHANNEL_ORDER = (Channel.IN_APP, Channel.EMAIL, Channel.PUSH, Channel.WEBHOOK)
PENDING, SENT, FAILED = repository.PENDING, repository.SENT, repository.FAILED
RATE_WINDOW = dt.timedelta(hours=1)


@dataclass(frozen=True)
class DeliveryView:
    channel: str
    status: str
    reason: str | None
    attempts: int
    updated_at: dt.datetime


def idempotency_key(notification_id: uuid.UUID, channel: str) -> str:
    """The same for every attempt of a (notification, channel)."""
    return f"{notification_id.hex}:{channel}"


@dataclass(frozen=True)
class _Plan:
    """What a new delivery row starts as, and whether a job goes for it now."""

    status: str
    reason: str | None = None
    next_attempt_at: dt.datetime | None = None
    in_digest: bool = False
    queue: bool = False


def _plan(
    channel: Channel,
    kind: str,
    prefs: Preferences,
    *,
    now: dt.datetime,
    quiet_until: dt.datetime | None,
    over_limit: bool,
) -> _Plan | None:
    if channel is Channel.IN_APP:
        return _Plan(SENT)  # stored is delivered: the inbox lists it, live got it
    if channel is Channel.EMAIL and kind in prefs.email_off_kinds:
        return None  # the user switched this kind's emails off
    limit = prefs.per_hour(kind)
    if over_limit and channel is Channel.EMAIL:
        return _Plan(PENDING, f"over {limit} an hour: in the daily digest", in_digest=True)
    if over_limit:
        return _Plan(FAILED, f"rate limited: over {limit} {kind} alerts an hour")
    if channel is Channel.EMAIL and prefs.digest is not None and prefs.digest.covers(kind):
        return _Plan(PENDING, "waiting for the daily digest", in_digest=True)
    if quiet_until is not None:
        local = quiet_until.astimezone(ZoneInfo(prefs.time_zone))
        return _Plan(PENDING, f"held for quiet hours until {local:%H:%M}", quiet_until)
    return _Plan(PENDING, None, now, queue=True)


async def create_deliveries(
    work: UnitOfWork, user_id: uuid.UUID, notifications: Sequence[NotificationView]
) -> list[uuid.UUID]:
    """Write a delivery row per (notification, chosen channel) in `work`; the ids of those
    whose job should go now (none held by quiet hours, the digest or a rate limit)."""
    if not notifications:
        return []
    now = clock.utcnow()
    prefs = await preferences.preferences(work.session, user_id)
    quiet = prefs.quiet_hours
    quiet_until = (
        timing.quiet_until(now, prefs.time_zone, quiet.start_minute, quiet.end_minute)
        if quiet
        else None
    )
    new_ids = [n.id for n in notifications]
    rules = await repository.rule_ids(work.session, new_ids)
    seen_this_hour: dict[str, int] = {}
    rows: list[dict[str, Any]] = []
    queued: list[uuid.UUID] = []
    for n in notifications:
        chosen = await rule_channels(work.session, rules.get(n.id))
        if n.kind not in seen_this_hour:
            seen_this_hour[n.kind] = await repository.count_kind_since(
                work.session, user_id, n.kind, now - RATE_WINDOW, new_ids
            )
        seen_this_hour[n.kind] += 1
        over_limit = seen_this_hour[n.kind] > prefs.per_hour(n.kind)
        for channel in CHANNEL_ORDER:
            if channel.value not in chosen:
                continue
            plan = _plan(
                channel, n.kind, prefs, now=now, quiet_until=quiet_until, over_limit=over_limit
            )
            if plan is None:
                continue
            delivery_id = uuid.uuid4()
            rows.append(
                {
                    "id": delivery_id,
                    "notification_id": n.id,
                    "user_id": user_id,
                    "channel": channel.value,
                    "status": plan.status,
                    "reason": plan.reason,
                    "attempts": 1 if plan.status == SENT else 0,
                    "next_attempt_at": plan.next_attempt_at,
                    "queued_until": now + QUEUED_GRACE if plan.queue else None,
                    "in_digest": plan.in_digest,
                    "sent_at": now if plan.status == SENT else None,
                    "idempotency_key": idempotency_key(n.id, channel.value),
                    "created_at": now,
                    "updated_at": now,
                }
            )
            if plan.queue:
                queued.append(delivery_id)
    await repository.insert_deliveries(work.session, rows)
    return queued


def _queue(work: UnitOfWork, delivery_ids: Sequence[uuid.UUID]) -> None:
    for delivery_id in delivery_ids:
        send_after_commit(work, message(QUEUE, DELIVER_ACTOR, delivery_id=str(delivery_id)))


async def deliver_after_commit(
    work: UnitOfWork, user_id: uuid.UUID, notifications: Sequence[NotificationView]
) -> None:
    """Deliver new notifications: their delivery rows in `work` (the transaction that raised
    them), a job per delivery that may go now (through the outbox), and, once `work` commits,
    each published to the user's live subscriptions; nothing if it rolls back."""
    queued = await create_deliveries(work, user_id, notifications)

    async def publish_live() -> None:
        for notification in notifications:
            try:
                await asyncio.to_thread(pubsub.publish, live_topic(user_id), notification.payload())
            except Exception:
                # Live delivery is best effort: the notification is stored and will be listed;
                # failing here would retry an evaluation that has nothing new to do.
                log.warning(
                    "notification_publish_failed",
                    notification_id=str(notification.id),
                    exc_info=True,
                )

    # Live first: after commit, the user's open apps hear of it before the jobs are handed over.
    work.after_commit(publish_live)
    _queue(work, queued)


@dataclass(frozen=True)
class Claim:
    """The outcome of claiming a delivery: send `outgoing` through `channel`, or nothing is
    owed (`outgoing` None), or another job holds it right now (`busy`)."""

    delivery_id: uuid.UUID
    channel: Channel | None = None
    outgoing: OutgoingNotification | None = None
    attempts: int = 0
    busy: bool = False


def outgoing_of(notification: Notification, channel: str) -> OutgoingNotification:
    return OutgoingNotification(
        notification_id=notification.id,
        user_id=notification.user_id,
        kind=notification.kind,
        title=notification.title,
        body=notification.body,
        created_at=notification.created_at,
        idempotency_key=idempotency_key(notification.id, channel),
        data={
            "notificationId": encode_id("Notification", notification.id),
            "kind": notification.kind,
            **(notification.data or {}),
        },
    )


async def claim_delivery(work: UnitOfWork, delivery_id: uuid.UUID) -> Claim:
    """Hold a delivery for one job (a lease of DELIVERY_LEASE), so that one job sends it."""
    found = await repository.delivery_with_notification(work.session, delivery_id)
    if found is None:
        log.info("delivery_unknown", delivery_id=str(delivery_id))
        return Claim(delivery_id)
    row, notification = found
    if row.status != PENDING or row.in_digest or row.channel == Channel.IN_APP:
        return Claim(delivery_id)
    now = clock.utcnow()
    if row.next_attempt_at is not None and row.next_attempt_at > now:
        return Claim(delivery_id)  # held (quiet hours, a retry's wait): the pass releases it
    if not await repository.claim(work.session, delivery_id, now, now + DELIVERY_LEASE):
        return Claim(delivery_id, busy=True)
    return Claim(
        delivery_id,
        channel=Channel(row.channel),
        outgoing=outgoing_of(notification, row.channel),
        attempts=row.attempts,
    )


async def send(claim: Claim) -> SendResult:
    """Hand the claimed delivery to its channel's Sender. A sender that raises (it should not)
    counts as a failure worth retrying."""
    assert claim.outgoing is not None and claim.channel is not None
    sender = SENDERS.get(claim.channel)
    if sender is None:
        return SendResult(Outcome.FAILED, "channel not configured")
    try:
        return await sender(claim.outgoing)
    except Exception as error:
        log.exception("delivery_sender_raised", channel=claim.channel.value)
        return SendResult(
            Outcome.RETRY, f"the {claim.channel.value} channel failed: {error!r}"[:250]
        )


async def record_attempt(work: UnitOfWork, claim: Claim, result: SendResult) -> str:
    """Write how the attempt went and let go of the claim; the status now."""
    now = clock.utcnow()
    attempts = claim.attempts + 1
    values: dict[str, Any] = {"attempts": attempts, "updated_at": now}
    if result.outcome is Outcome.SENT:
        values |= {"status": SENT, "reason": None, "sent_at": now, "next_attempt_at": None}
    elif result.outcome is Outcome.FAILED:
        values |= {"status": FAILED, "reason": result.reason, "next_attempt_at": None}
    else:
        again = timing.retry_at(now, attempts)
        if again is None:
            reason = f"gave up after {attempts} attempts: {result.reason}"
            values |= {"status": FAILED, "reason": reason[:300], "next_attempt_at": None}
        else:
            values |= {"reason": result.reason, "next_attempt_at": again}
    await repository.record(work.session, claim.delivery_id, **values)
    log.info(
        "delivery_attempt",
        delivery_id=str(claim.delivery_id),
        channel=claim.channel.value if claim.channel else None,
        outcome=result.outcome.value,
        reason=result.reason,
    )
    return str(values.get("status", PENDING))


async def email_delivery_of(work: UnitOfWork, notification_id: uuid.UUID) -> uuid.UUID | None:
    """The EMAIL delivery of a notification (for email jobs queued before deliveries existed)."""
    return await repository.delivery_id_of(work.session, notification_id, Channel.EMAIL.value)


# The daily digest.


@dataclass(frozen=True)
class DigestBatch:
    user_id: uuid.UUID
    day: dt.date
    delivery_ids: list[uuid.UUID]
    reader: render.Reader | None
    items: list[render.DigestItem]


async def claim_digest(work: UnitOfWork, user_id: uuid.UUID, day: dt.date) -> DigestBatch | None:
    """Hold every email of the user waiting for the digest of `day`; None when the digest of
    that day went out already or nothing waits (another job holds it, or sent it)."""
    prefs = await preferences.preferences(work.session, user_id)
    if prefs.digest_sent_for is not None and prefs.digest_sent_for >= day:
        return None
    now = clock.utcnow()
    ids = await repository.claim_digest(work.session, user_id, now, now + DELIVERY_LEASE)
    if not ids:
        return None
    person = await repository.recipient(work.session, user_id)
    reader = (
        render.Reader(user_id, person.email, person.locale, person.time_zone) if person else None
    )
    rows = await repository.notifications_of_deliveries(work.session, ids)
    items = [
        render.DigestItem(row.kind, row.title, row.body, row.created_at, dict(row.data or {}))
        for row in rows
    ]
    return DigestBatch(user_id, day, ids, reader, items)


async def send_digest(batch: DigestBatch) -> SendResult:
    smtp_url = get_settings().smtp_url
    if not smtp_url:
        return SendResult(Outcome.FAILED, email.NOT_SET_UP)
    if batch.reader is None:
        return SendResult(Outcome.FAILED, "no email address for this user")
    message_ = render.digest_email(
        batch.items, batch.day, batch.reader, email.site(), clock.utcnow()
    )
    return await mailer.deliver(mailer.parse_smtp_url(smtp_url), message_)


async def record_digest(work: UnitOfWork, batch: DigestBatch, result: SendResult) -> None:
    now = clock.utcnow()
    if result.outcome is Outcome.RETRY:
        # Let go: the next pass queues the digest again (the rows wait as they were).
        await repository.record_many(work.session, batch.delivery_ids, updated_at=now)
        return
    if result.outcome is Outcome.SENT:
        values: dict[str, Any] = {"status": SENT, "sent_at": now}
        values["reason"] = f"sent in the daily digest of {batch.day.isoformat()}"
    else:
        values = {"status": FAILED, "reason": f"the daily digest failed: {result.reason}"[:300]}
    await repository.record_many(
        work.session, batch.delivery_ids, attempts=1, next_attempt_at=None, updated_at=now, **values
    )
    await preferences.record_digest_sent(work, batch.user_id, batch.day)


# The periodic pass.


@dataclass(frozen=True)
class PassReport:
    released: int
    digests: int


async def release_due_batch(work: UnitOfWork) -> int:
    """Queue a job for up to PASS_BATCH deliveries whose time has come (quiet hours over, a
    retry's wait past, a lost job's lease expired), oldest first; how many. Idempotent: queued
    ones are left alone for QUEUED_GRACE."""
    now = clock.utcnow()
    due = list(await repository.due_deliveries(work.session, now, PASS_BATCH))
    if due:
        await repository.mark_queued(work.session, due, now + QUEUED_GRACE)
        _queue(work, due)
    return len(due)


async def queue_due_digests(work: UnitOfWork) -> int:
    """Queue a digest job for every user whose digest hour came with emails waiting for it;
    how many. A digest job finds nothing once that day's digest went out."""
    now = clock.utcnow()
    digests = 0
    after: uuid.UUID | None = None
    while True:
        users = await repository.users_with_digest_waiting(work.session, after, PASS_BATCH)
        for user_id in users:
            prefs = await preferences.preferences(work.session, user_id)
            day = timing.digest_day_due(
                now, prefs.time_zone, prefs.digest_hour, prefs.digest_sent_for
            )
            if day is None:
                continue
            send_after_commit(
                work, message(QUEUE, DIGEST_ACTOR, user_id=str(user_id), day=day.isoformat())
            )
            digests += 1
        if len(users) < PASS_BATCH:
            return digests
        after = users[-1]


async def release_due(work: UnitOfWork) -> PassReport:
    """One batch of due deliveries and the due digests, in `work` (see the two above)."""
    return PassReport(released=await release_due_batch(work), digests=await queue_due_digests(work))


# Reading deliveries (the GraphQL field).


async def deliveries_of(
    session: AsyncSession, user_id: uuid.UUID, notification_ids: Sequence[uuid.UUID]
) -> list[list[DeliveryView]]:
    """Each notification's deliveries (the caller's only), in channel order, in one query."""
    found: dict[uuid.UUID, list[DeliveryView]] = defaultdict(list)
    order = {channel.value: index for index, channel in enumerate(CHANNEL_ORDER)}
    rows: Sequence[Delivery] = await repository.deliveries_of(session, user_id, notification_ids)
    for row in sorted(rows, key=lambda row: order.get(row.channel, len(order))):
        found[row.notification_id].append(
            DeliveryView(row.channel, row.status, row.reason, row.attempts, row.updated_at)
        )
    return [found.get(notification_id, []) for notification_id in notification_ids]
