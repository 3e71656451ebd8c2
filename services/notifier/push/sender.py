"""The PUSH channel: one notification to every browser the user turned push on in.

The payload is encrypted for each subscription per RFC 8291 (aes128gcm) by pywebpush (which
uses http-ece), and each request is signed per RFC 8292 (VAPID, with py-vapid). pywebpush's
own senders are not used: its blocking one would hold up the event loop and its aiohttp one
follows redirects. The request goes out with httpx, asynchronously, redirects not followed.

Repeats (a retry after a partial failure, a redelivery) are harmless: the request carries a
`Topic` derived from the idempotency key, so a push service still holding the first message
replaces it, and the service worker shows the notification with its id as the `tag`, so a
browser that got both shows one.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from py_vapid import Vapid02
from pywebpush import WebPusher

from services.notifier import outbound
from services.notifier.delivery.outgoing import Outcome, OutgoingNotification, SendResult
from services.notifier.push import service
from shared.clock import utcnow
from shared.config import get_settings
from shared.db import read_session, unit_of_work
from shared.errors import BadUserInput
from shared.ids import encode_id
from shared.logging import get_logger

log = get_logger(__name__)

# How long a push service keeps a message for a browser that is offline.
TIME_TO_LIVE = timedelta(hours=24)
REQUEST_TIMEOUT_SECONDS = 10.0
# RFC 8291 section 4: push services accept 4,096 bytes of encrypted body at least. aes128gcm
# adds a 86-byte header (one record), a 16-byte tag and a padding delimiter.
MAX_PLAINTEXT_BYTES = 4096 - 86 - 16 - 1
# Where the app opens when the notification is clicked.
NOTIFICATIONS_PATH = "/notifications"


@dataclass(frozen=True)
class _Answer:
    outcome: Outcome
    reason: str | None = None
    gone: bool = False


async def send_push(n: OutgoingNotification) -> SendResult:
    """Push `n` to every subscription of its user. SENT if any browser's push service took
    it; RETRY if none did and one may later (a 5xx, a 429, a timeout); FAILED if none is left
    (never subscribed, or all gone) or every one refused it for good."""
    async with read_session() as session:
        targets = await service.push_targets(session, n.user_id)
    if not targets:
        return SendResult(Outcome.FAILED, "no browser has push turned on")
    payload = _payload(n)
    async with httpx.AsyncClient(follow_redirects=False, timeout=REQUEST_TIMEOUT_SECONDS) as client:
        answers = await asyncio.gather(
            *(_send_one(client, target, payload, n.idempotency_key) for target in targets)
        )
    delivered = [t.id for t, a in zip(targets, answers, strict=True) if a.outcome is Outcome.SENT]
    gone = [t.id for t, a in zip(targets, answers, strict=True) if a.gone]
    if delivered or gone:
        async with unit_of_work() as work:
            await service.record_outcomes(work, n.user_id, delivered=delivered, gone=gone)
    return _overall(answers)


def _overall(answers: list[_Answer]) -> SendResult:
    if any(answer.outcome is Outcome.SENT for answer in answers):
        return SendResult(Outcome.SENT)
    retry = [answer for answer in answers if answer.outcome is Outcome.RETRY]
    if retry:
        return SendResult(Outcome.RETRY, retry[0].reason)
    if all(answer.gone for answer in answers):
        return SendResult(Outcome.FAILED, "no push subscription left (the browsers dropped them)")
    refused = next(answer for answer in answers if not answer.gone)
    return SendResult(Outcome.FAILED, refused.reason)


def _payload(n: OutgoingNotification) -> bytes:
    """What the service worker receives: enough to show the notification and open the app.
    Within the size push services accept: `data` goes first, then the body is shortened."""
    message: dict[str, Any] = {
        "notificationId": encode_id("Notification", n.notification_id),
        "kind": n.kind,
        "title": n.title,
        "body": n.body,
        "createdAt": n.created_at.isoformat(),
        "url": NOTIFICATIONS_PATH,
        "data": n.data,
    }
    encoded = json.dumps(message, ensure_ascii=False).encode()
    if len(encoded) > MAX_PLAINTEXT_BYTES:
        message["data"] = {}
        encoded = json.dumps(message, ensure_ascii=False).encode()
    while len(encoded) > MAX_PLAINTEXT_BYTES and message["body"]:
        over = len(encoded) - MAX_PLAINTEXT_BYTES
        message["body"] = message["body"][: max(0, len(message["body"]) - over - 1)] + "…"
        encoded = json.dumps(message, ensure_ascii=False).encode()
    return encoded


def _topic(idempotency_key: str) -> str:
    """RFC 8030 Topic: at most 32 characters of the base64url alphabet."""
    digest = hashlib.sha256(idempotency_key.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()[:32]


def _vapid_headers(endpoint: str) -> dict[str, str]:
    parts = urlsplit(endpoint)
    claims = {
        "aud": f"{parts.scheme}://{parts.netloc}",
        "sub": get_settings().push_subject,
        "exp": int((utcnow() + timedelta(hours=12)).timestamp()),
    }
    headers: dict[str, str] = Vapid02(service.vapid_signing_key()).sign(claims)
    return headers


async def _send_one(
    client: httpx.AsyncClient, target: service.PushTarget, payload: bytes, idempotency_key: str
) -> _Answer:
    try:
        await outbound.check_destination(target.endpoint, "endpoint")
    except BadUserInput as refused:
        return _Answer(Outcome.FAILED, f"push endpoint refused: {refused.message}")
    if target.auth is None:
        return _Answer(Outcome.FAILED, "its keys cannot be decrypted (TALLY_ENCRYPTION_KEYS)")
    subscription = {
        "endpoint": target.endpoint,
        "keys": {"p256dh": target.p256dh, "auth": target.auth},
    }
    body = WebPusher(subscription).encode(payload, "aes128gcm")["body"]
    headers = {
        **_vapid_headers(target.endpoint),
        "Content-Encoding": "aes128gcm",
        "Content-Type": "application/octet-stream",
        "TTL": str(int(TIME_TO_LIVE.total_seconds())),
        "Topic": _topic(idempotency_key),
        "Urgency": "normal",
    }
    try:
        response = await client.post(target.endpoint, content=body, headers=headers)
    except httpx.TimeoutException:
        return _Answer(Outcome.RETRY, "the push service did not answer in time")
    except httpx.TransportError as error:
        return _Answer(Outcome.RETRY, f"could not reach the push service ({type(error).__name__})")
    return _answer(response.status_code, target)


def _answer(status: int, target: service.PushTarget) -> _Answer:
    if 200 <= status < 300:
        return _Answer(Outcome.SENT)
    host = urlsplit(target.endpoint).hostname
    if status in (404, 410):
        log.info("push_subscription_gone", subscription_id=str(target.id), status=status)
        return _Answer(Outcome.FAILED, f"the push service ({host}) says it is gone", gone=True)
    if status == 429 or status >= 500:
        return _Answer(Outcome.RETRY, f"the push service ({host}) answered {status}")
    return _Answer(Outcome.FAILED, f"the push service ({host}) refused it ({status})")
