"""Outgoing webhooks, against a real receiver on 127.0.0.1 that checks the signature as
docs/webhooks.md tells receivers to."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from services.notifier.delivery.outgoing import Outcome, OutgoingNotification
from services.notifier.webhooks import sender, service
from shared.db import count_statements
from shared.ids import encode_id
from tests.notifier.receivers import WebhookReceiver, webhook_receiver
from tests.support.factories import sign_up
from tests.support.graphql import data, error_codes, execute

CREATE = """mutation($i: CreateWebhookInput!) { createWebhook(input: $i) {
  signingSecret webhook { id url description kinds enabled } } }"""
UPDATE = """mutation($i: UpdateWebhookInput!) { updateWebhook(input: $i) {
  webhook { id url description kinds enabled disabledReason consecutiveFailures } } }"""
DELETE = "mutation($id: ID!) { deleteWebhook(input: {id: $id}) { deletedWebhookId } }"
WEBHOOKS = """{ webhooks { id url enabled disabledReason consecutiveFailures
  recentDeliveries { notificationId attemptedAt outcome statusCode error durationMs } } }"""
CREATED = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)


def notification(
    user_id: uuid.UUID, key: str = "n-1:WEBHOOK", **changes: Any
) -> OutgoingNotification:
    fields: dict[str, Any] = {
        "notification_id": uuid.uuid4(),
        "user_id": user_id,
        "kind": "LARGE_TRANSACTION",
        "title": "Large transaction: $512.00",
        "body": "You spent $512.00 at Hardware Store.",
        "created_at": CREATED,
        "idempotency_key": key,
        "data": {"amount": {"amount": "-512.00", "currency": "USD"}},
    }
    fields.update(changes)
    return OutgoingNotification(**fields)


async def create(user_id: uuid.UUID, url: str, **extra: Any) -> dict[str, Any]:
    made = (await data(CREATE, {"i": {"url": url, **extra}}, user_id=user_id))["createWebhook"]
    return dict(made)


async def hooks(user_id: uuid.UUID) -> list[dict[str, Any]]:
    return list((await data(WEBHOOKS, user_id=user_id))["webhooks"])


async def test_a_notification_is_posted_signed_with_its_idempotency_key() -> None:
    person = await sign_up(ledger=False)
    with webhook_receiver() as receiver:
        made = await create(person.id, receiver.hook_url, description="Home Assistant")
        receiver.secret = made["signingSecret"]
        n = notification(person.id)

        result = await sender.send_webhook(n)

    assert result.outcome is Outcome.SENT, result
    assert made["signingSecret"].startswith("whsec_")
    [received] = receiver.received
    assert received.problem is None  # the signature verified
    assert received.headers["tally-idempotency-key"] == "n-1:WEBHOOK"
    assert received.headers["content-type"] == "application/json"
    assert json.loads(received.body) == {
        "notificationId": encode_id("Notification", n.notification_id),
        "kind": "LARGE_TRANSACTION",
        "title": "Large transaction: $512.00",
        "body": "You spent $512.00 at Hardware Store.",
        "createdAt": "2026-11-20T08:30:00+00:00",
        "data": {"amount": {"amount": "-512.00", "currency": "USD"}},
    }
    [hook] = await hooks(person.id)
    [attempt] = hook["recentDeliveries"]
    assert attempt["outcome"] == "SENT" and attempt["statusCode"] == 200
    assert attempt["notificationId"] == encode_id("Notification", n.notification_id)
    assert attempt["error"] is None and attempt["durationMs"] >= 0


async def test_a_wrong_secret_does_not_verify() -> None:
    person = await sign_up(ledger=False)
    with webhook_receiver() as receiver:
        await create(person.id, receiver.hook_url)
        receiver.secret = "whsec_not-the-one"
        result = await sender.send_webhook(notification(person.id))
    assert result.outcome is Outcome.FAILED
    assert receiver.received[0].problem == "bad signature"


async def test_a_5xx_is_retried_and_a_retry_skips_webhooks_that_took_it() -> None:
    person = await sign_up(ledger=False)
    with webhook_receiver() as flaky, webhook_receiver() as steady:
        for receiver in (flaky, steady):
            receiver.secret = (await create(person.id, receiver.hook_url))["signingSecret"]
        flaky.statuses = [503]
        n = notification(person.id)

        first = await sender.send_webhook(n)
        second = await sender.send_webhook(n)
        third = await sender.send_webhook(n)

    assert first.outcome is Outcome.RETRY and first.reason == "answered HTTP 503"
    assert (second.outcome, third.outcome) == (Outcome.SENT, Outcome.SENT)
    # The steady one took it the first time and is not sent it again; the flaky one twice.
    assert (len(steady.received), len(flaky.received)) == (1, 2)
    assert [r.status for r in flaky.received] == [503, 200]


async def test_another_4xx_or_a_redirect_fails_without_retrying() -> None:
    person = await sign_up(ledger=False)
    with webhook_receiver() as receiver:
        receiver.secret = (await create(person.id, receiver.hook_url))["signingSecret"]
        receiver.statuses = [400, 302]
        refused = await sender.send_webhook(notification(person.id, key="a"))
        redirected = await sender.send_webhook(notification(person.id, key="b"))
    assert refused == type(refused)(Outcome.FAILED, "answered HTTP 400")
    assert redirected.outcome is Outcome.FAILED
    assert redirected.reason is not None and "redirects not followed" in redirected.reason
    assert len(receiver.received) == 2  # the redirect's target (10.0.0.1) was never asked


async def test_no_answer_is_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    person = await sign_up(ledger=False)
    with webhook_receiver() as receiver:
        url = receiver.hook_url
    await create(person.id, url)  # the receiver is gone: the connection is refused
    result = await sender.send_webhook(notification(person.id))
    assert result.outcome is Outcome.RETRY
    assert result.reason is not None and result.reason.startswith("could not connect")
    [hook] = await hooks(person.id)
    assert hook["recentDeliveries"][0]["statusCode"] is None


async def test_repeated_failures_switch_a_webhook_off_until_the_user_turns_it_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(service, "DISABLE_AFTER_FAILURES", 3)
    person = await sign_up(ledger=False)
    with webhook_receiver() as receiver:
        made = await create(person.id, receiver.hook_url)
        receiver.secret = made["signingSecret"]
        receiver.statuses = [500, 500, 500]
        outcomes = [
            (await sender.send_webhook(notification(person.id, key=f"k{i}"))).outcome
            for i in range(4)
        ]
        [hook] = await hooks(person.id)
        turned_on = (
            await data(UPDATE, {"i": {"id": made["webhook"]["id"], "enabled": True}},
                       user_id=person.id)
        )["updateWebhook"]["webhook"]  # fmt: skip
        after = await sender.send_webhook(notification(person.id, key="k9"))

    # Two retries; the third failure switches it off (nothing left to retry); then none is on.
    assert outcomes == [Outcome.RETRY, Outcome.RETRY, Outcome.FAILED, Outcome.FAILED]
    assert hook["enabled"] is False and hook["consecutiveFailures"] == 3
    assert "switched off after 3 failed deliveries" in hook["disabledReason"]
    assert [d["outcome"] for d in hook["recentDeliveries"]] == ["RETRY"] * 3
    assert turned_on["enabled"] is True
    assert (turned_on["disabledReason"], turned_on["consecutiveFailures"]) == (None, 0)
    assert after.outcome is Outcome.SENT


async def test_a_webhook_receives_only_its_kinds() -> None:
    person = await sign_up(ledger=False)
    with webhook_receiver() as receiver:
        made = await create(person.id, receiver.hook_url, kinds=["BUDGET_OVERSPENT"])
        receiver.secret = made["signingSecret"]
        other = await sender.send_webhook(notification(person.id, kind="LARGE_TRANSACTION"))
        its_own = await sender.send_webhook(notification(person.id, kind="BUDGET_OVERSPENT"))
    assert made["webhook"]["kinds"] == ["BUDGET_OVERSPENT"]
    assert other.outcome is Outcome.FAILED
    assert its_own.outcome is Outcome.SENT
    assert [r.payload["kind"] for r in receiver.received if r.payload] == ["BUDGET_OVERSPENT"]


async def test_the_secret_is_stored_encrypted_and_shown_once() -> None:
    from services.notifier.models import Webhook
    from shared.db import read_session

    person = await sign_up(ledger=False)
    made = await create(person.id, "http://127.0.0.1:9/hook")
    async with read_session() as session:
        row = await session.get(Webhook, uuid.UUID(hex=_uuid_of(made["webhook"]["id"])))
    assert row is not None and made["signingSecret"] not in row.secret_encrypted
    listed = json.dumps(await hooks(person.id))
    assert made["signingSecret"] not in listed


def _uuid_of(global_id: str) -> str:
    from shared.ids import decode_global_id

    return decode_global_id(global_id)[1].hex


async def test_updating_and_deleting_a_webhook() -> None:
    person = await sign_up(ledger=False)
    made = await create(person.id, "http://127.0.0.1:9/hook", description="old")
    hook_id = made["webhook"]["id"]
    changed = (
        await data(UPDATE, {"i": {"id": hook_id, "url": "https://hooks.example.com/tally",
                                  "description": None, "kinds": ["LARGE_TRANSACTION"],
                                  "enabled": False}}, user_id=person.id)
    )["updateWebhook"]["webhook"]  # fmt: skip
    assert changed["url"] == "https://hooks.example.com/tally"
    assert changed["description"] is None and changed["kinds"] == ["LARGE_TRANSACTION"]
    assert changed["enabled"] is False
    deleted = await data(DELETE, {"id": hook_id}, user_id=person.id)
    assert deleted["deleteWebhook"]["deletedWebhookId"] == hook_id
    assert await hooks(person.id) == []
    again = await execute(DELETE, {"id": hook_id}, user_id=person.id)
    assert error_codes(again) == ["NOT_FOUND"]


async def test_another_users_webhook_is_not_found() -> None:
    owner = await sign_up(ledger=False)
    other = await sign_up(ledger=False)
    hook_id = (await create(owner.id, "http://127.0.0.1:9/hook"))["webhook"]["id"]
    for operation, variables in (
        (UPDATE, {"i": {"id": hook_id, "enabled": False}}),
        (DELETE, {"id": hook_id}),
        ("query($id: ID!) { node(id: $id) { id } }", {"id": hook_id}),
    ):
        assert error_codes(await execute(operation, variables, user_id=other.id)) == ["NOT_FOUND"]
    assert await hooks(other.id) == []
    assert (await hooks(owner.id))[0]["enabled"] is True


async def test_bad_webhooks_are_refused_naming_the_field() -> None:
    person = await sign_up(ledger=False)
    cases = [
        ({"url": "http://hooks.example.com/x"}, "input.url"),  # http, not loopback
        ({"url": "https://user:pw@hooks.example.com/x"}, "input.url"),
        ({"url": "javascript:alert(1)"}, "input.url"),
        ({"url": "https://hooks.example.com/" + "x" * 2100}, "input.url"),
        ({"url": "https://hooks.example.com/x", "kinds": []}, "input.kinds"),
        ({"url": "https://hooks.example.com/x", "description": "note\u202e"}, "input.description"),
    ]
    for change, field in cases:
        result = await execute(CREATE, {"i": change}, user_id=person.id)
        assert error_codes(result) == ["BAD_USER_INPUT"], (change, result.errors)
        assert result.errors and (result.errors[0].extensions or {})["field"] == field
    hook_id = (await create(person.id, "https://hooks.example.com/x"))["webhook"]["id"]
    for change, field in (({"url": None}, "input.url"), ({"enabled": None}, "input.enabled")):
        result = await execute(UPDATE, {"i": {"id": hook_id, **change}}, user_id=person.id)
        assert result.errors and (result.errors[0].extensions or {})["field"] == field
    assert len(await hooks(person.id)) == 1


async def test_listing_webhooks_with_their_logs_takes_two_queries() -> None:
    person = await sign_up(ledger=False)
    with webhook_receiver() as receiver:
        for _ in range(3):
            receiver.secret = (await create(person.id, receiver.hook_url))["signingSecret"]
        # Only the last one's secret verifies: the other two log a FAILED attempt each.
        await sender.send_webhook(notification(person.id))
    async with count_statements() as statements:
        listed = await hooks(person.id)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 2, statements
    assert sorted(len(h["recentDeliveries"]) for h in listed) == [1, 1, 1]


async def test_the_log_keeps_the_newest_attempts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "LOG_LENGTH", 3)
    person = await sign_up(ledger=False)
    with webhook_receiver() as receiver:
        receiver.secret = (await create(person.id, receiver.hook_url))["signingSecret"]
        sent = [notification(person.id, key=f"k{i}") for i in range(5)]
        for n in sent:
            await sender.send_webhook(n)
    [hook] = await hooks(person.id)
    assert [d["notificationId"] for d in hook["recentDeliveries"]] == [
        encode_id("Notification", n.notification_id) for n in reversed(sent[-3:])
    ]


def test_receivers_can_check_the_documented_signature() -> None:
    receiver = WebhookReceiver(secret="whsec_abc")
    body = b'{"kind":"LARGE_TRANSACTION"}'
    from services.notifier.webhooks.signing import signature

    assert receiver.verifies(signature("whsec_abc", 1700000000, body), body)
    assert not receiver.verifies(signature("whsec_abc", 1700000000, body), body + b" ")
    assert not receiver.verifies(signature("whsec_other", 1700000000, body), body)


async def test_a_secret_no_key_opens_fails_the_delivery_without_raising() -> None:
    from sqlalchemy import update

    from services.notifier.models import Webhook
    from shared.db import unit_of_work

    person = await sign_up(ledger=False)
    await create(person.id, "http://127.0.0.1:9/hook")
    async with unit_of_work() as work:
        await work.session.execute(
            update(Webhook).where(Webhook.user_id == person.id).values(secret_encrypted="gone")
        )
    result = await sender.send_webhook(notification(person.id))
    assert result.outcome is Outcome.FAILED
    assert result.reason is not None and "cannot be decrypted" in result.reason
