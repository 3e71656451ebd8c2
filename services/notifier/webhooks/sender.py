"""The WEBHOOK channel: one notification POSTed to each of the user's enabled webhooks that
take its kind, as JSON, signed (signing.py), with the delivery's idempotency key.

Each attempt is logged. The delivery pipeline does the retrying: this answers RETRY while a
webhook may take it later (a 5xx, a 429, a timeout, no connection) and FAILED when none will
(another 4xx, a redirect, a refused address). A retry goes only to the webhooks that have not
taken it yet. A webhook failing DISABLE_AFTER_FAILURES times in a row is switched off.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid

import httpx

from services.notifier import outbound
from services.notifier.delivery.outgoing import Outcome, OutgoingNotification, SendResult
from services.notifier.webhooks import service, signing
from services.notifier.webhooks.service import Attempt, WebhookTarget
from shared.clock import utcnow
from shared.db import read_session, unit_of_work
from shared.errors import BadUserInput
from shared.ids import encode_id
from shared.logging import get_logger

log = get_logger(__name__)

# Short: a receiver should answer at once and do its work afterwards.
TIMEOUT = httpx.Timeout(5.0, connect=3.0)
USER_AGENT = "Tally-Webhooks/1"


def body_of(n: OutgoingNotification) -> bytes:
    """The JSON every webhook receives for `n` (ids as the API's global ids)."""
    document = {
        "notificationId": encode_id("Notification", n.notification_id),
        "kind": n.kind,
        "title": n.title,
        "body": n.body,
        "createdAt": n.created_at.isoformat(),
        "data": n.data,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


async def send_webhook(n: OutgoingNotification) -> SendResult:
    """POST `n` to the user's webhooks for its kind; see the module's docstring."""
    async with read_session() as session:
        pending, done = await service.targets(session, n.user_id, n.kind, n.idempotency_key)
    if not pending:
        if done:
            return SendResult(Outcome.SENT)
        return SendResult(Outcome.FAILED, "no webhook is on for this kind of alert")
    body = body_of(n)
    async with httpx.AsyncClient(follow_redirects=False, timeout=TIMEOUT) as client:
        attempts = await asyncio.gather(*(_post(client, target, body, n) for target in pending))
    switched_off: set[uuid.UUID] = set()
    async with unit_of_work() as work:
        for attempt in attempts:
            if await service.record_attempt(
                work, n.user_id, n.notification_id, n.idempotency_key, attempt
            ):
                switched_off.add(attempt.webhook_id)
    for webhook_id in switched_off:
        log.warning("webhook_switched_off", webhook_id=str(webhook_id), user_id=str(n.user_id))
    retry = [a for a in attempts if a.outcome == Outcome.RETRY and a.webhook_id not in switched_off]
    if retry:
        return SendResult(Outcome.RETRY, retry[0].error)
    if done or any(a.outcome == Outcome.SENT for a in attempts):
        return SendResult(Outcome.SENT)
    return SendResult(Outcome.FAILED, attempts[0].error)


async def _post(
    client: httpx.AsyncClient, target: WebhookTarget, body: bytes, n: OutgoingNotification
) -> Attempt:
    started = time.monotonic()

    def attempt(outcome: Outcome, status: int | None, error: str | None) -> Attempt:
        elapsed = int((time.monotonic() - started) * 1000)
        return Attempt(target.id, outcome.value, status, error, elapsed)

    try:
        await outbound.check_destination(target.url, "url")
    except BadUserInput as refused:
        return attempt(Outcome.FAILED, None, f"address refused: {refused.message}")
    if target.secret is None:
        return attempt(
            Outcome.FAILED, None, "its secret cannot be decrypted (TALLY_ENCRYPTION_KEYS)"
        )
    timestamp = int(utcnow().timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        signing.SIGNATURE_HEADER: signing.signature(target.secret, timestamp, body),
        signing.IDEMPOTENCY_HEADER: n.idempotency_key,
    }
    try:
        # Streamed and never read: the receiver's answer is its status, whatever it sends.
        async with client.stream("POST", target.url, content=body, headers=headers) as response:
            status = response.status_code
    except httpx.TimeoutException:
        return attempt(Outcome.RETRY, None, "timed out")
    except httpx.TransportError as error:
        return attempt(Outcome.RETRY, None, f"could not connect ({type(error).__name__})")
    if 200 <= status < 300:
        return attempt(Outcome.SENT, status, None)
    if status == 429 or status >= 500:
        return attempt(Outcome.RETRY, status, f"answered HTTP {status}")
    if 300 <= status < 400:
        return attempt(Outcome.FAILED, status, f"answered HTTP {status} (redirects not followed)")
    return attempt(Outcome.FAILED, status, f"answered HTTP {status}")
