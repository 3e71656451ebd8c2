"""Rotating the encryption keys reaches the notifier's secrets too: webhooks' signing secrets
and push subscriptions' auth secrets move to the new key, so the old one can be dropped."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr

from services.notifier import api
from services.notifier.delivery.outgoing import Outcome, OutgoingNotification
from services.notifier.push.sender import send_push
from services.notifier.webhooks.sender import send_webhook
from shared import crypto
from shared.config import get_settings
from tests.notifier.receivers import b64url, push_service, webhook_receiver
from tests.support.factories import sign_up
from tests.support.graphql import data


def _configure(monkeypatch: pytest.MonkeyPatch, keys: str) -> None:
    monkeypatch.setattr(get_settings(), "encryption_keys", SecretStr(keys))
    crypto._keyring.cache_clear()


@pytest.fixture
async def new_key(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[tuple[str, str]]:
    old = get_settings().secret("encryption_keys")
    assert "," not in old
    new = Fernet.generate_key().decode()
    yield old, new
    _configure(monkeypatch, f"{old},{new}")
    await api.rotate_encryption_keys()
    monkeypatch.undo()
    crypto._keyring.cache_clear()


def _notification(user_id: uuid.UUID) -> OutgoingNotification:
    return OutgoingNotification(
        notification_id=uuid.uuid4(),
        user_id=user_id,
        kind="LARGE_TRANSACTION",
        title="Large transaction",
        body="A big one",
        created_at=datetime(2026, 11, 20, tzinfo=UTC),
        idempotency_key=f"{uuid.uuid4()}:X",
    )


async def test_after_rotation_the_new_key_alone_signs_and_encrypts(
    new_key: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = new_key
    person = await sign_up(ledger=False)
    with webhook_receiver() as receiver, push_service() as pushes:
        receiver.secret = (
            await data(
                "mutation($u: String!) { createWebhook(input: {url: $u}) { signingSecret } }",
                {"u": receiver.hook_url},
                user_id=person.id,
            )
        )["createWebhook"]["signingSecret"]
        browser = pushes.browser()
        await data(
            """mutation($i: RegisterPushSubscriptionInput!) {
                 registerPushSubscription(input: $i) { pushSubscription { id } } }""",
            {"i": {"endpoint": pushes.endpoint(browser), "p256dh": browser.p256dh,
                   "auth": b64url(browser.auth)}},
            user_id=person.id,
        )  # fmt: skip

        _configure(monkeypatch, f"{new},{old}")
        rotated = await api.rotate_encryption_keys(batch_size=1)
        _configure(monkeypatch, new)

        webhook = await send_webhook(_notification(person.id))
        push = await send_push(_notification(person.id))

    assert rotated >= 2
    assert (webhook.outcome, push.outcome) == (Outcome.SENT, Outcome.SENT)
    assert receiver.received[0].problem is None
    assert pushes.received[0].problem is None
