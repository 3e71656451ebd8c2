"""What a delivery channel is handed, and what it answers: the one shape every channel
(email, web push, webhook) is written against, so the delivery pipeline can drive them all."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Channel(StrEnum):
    IN_APP = "IN_APP"
    EMAIL = "EMAIL"
    PUSH = "PUSH"
    WEBHOOK = "WEBHOOK"


@dataclass(frozen=True)
class OutgoingNotification:
    """One notification on its way to one user through one channel.

    `idempotency_key` is the same for every attempt of this (notification, channel): a channel
    that can pass it on (a webhook header, a push topic) does, so the receiving end can drop a
    repeat."""

    notification_id: uuid.UUID
    user_id: uuid.UUID
    kind: str
    title: str
    body: str
    created_at: datetime
    idempotency_key: str
    # Structured facts of the alert (amounts as strings, ids as global ids), for channels that
    # send data rather than prose (a webhook's JSON body, a push payload's `data`).
    data: dict[str, Any] = field(default_factory=dict)


class Outcome(StrEnum):
    SENT = "SENT"
    # Worth trying again later (a timeout, a 5xx, a connection refused).
    RETRY = "RETRY"
    # Will never work as it is (a 4xx, no subscription left, an address refused): not retried.
    FAILED = "FAILED"


@dataclass(frozen=True)
class SendResult:
    outcome: Outcome
    # Why it failed or will be retried, for the delivery status a user sees; None when sent.
    reason: str | None = None


# A channel: sends one notification (it may reach several devices or endpoints of the user)
# and says how it went. It never raises for a failed delivery: it answers RETRY or FAILED.
Sender = Callable[[OutgoingNotification], Awaitable[SendResult]]
