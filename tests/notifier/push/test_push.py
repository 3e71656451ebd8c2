"""Web push, end to end against a real push endpoint on 127.0.0.1 that checks the VAPID
signature and decrypts every message with the browser's own keys (RFC 8291, aes128gcm)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from services.notifier.delivery.outgoing import Outcome, OutgoingNotification
from services.notifier.push.sender import send_push
from shared.ids import encode_id
from tests.notifier.receivers import Browser, PushService, b64url, push_service
from tests.support.factories import sign_up
from tests.support.graphql import data, error_codes, execute

REGISTER = """mutation($i: RegisterPushSubscriptionInput!) {
  registerPushSubscription(input: $i) { pushSubscription { id endpoint userAgent } } }"""
UNREGISTER = """mutation($e: String!) {
  unregisterPushSubscription(input: {endpoint: $e}) { unregisteredPushSubscriptionId } }"""
SUBSCRIPTIONS = "{ pushSubscriptions { id endpoint lastDeliveredAt } }"
CREATED = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)


def notification(user_id: uuid.UUID, key: str = "n-1:PUSH", **changes: Any) -> OutgoingNotification:
    fields: dict[str, Any] = {
        "notification_id": uuid.uuid4(),
        "user_id": user_id,
        "kind": "LARGE_TRANSACTION",
        "title": "Large transaction: $512.00",
        "body": "You spent $512.00 at Hardware Store on your Checking account.",
        "created_at": CREATED,
        "idempotency_key": key,
        "data": {"amount": {"amount": "-512.00", "currency": "USD"}},
    }
    fields.update(changes)
    return OutgoingNotification(**fields)


async def subscribe(user_id: uuid.UUID, service: PushService, browser: Browser) -> dict[str, Any]:
    result = await data(
        REGISTER,
        {"i": {"endpoint": service.endpoint(browser), "p256dh": browser.p256dh,
               "auth": b64url(browser.auth),
               "userAgent": "Firefox on a test"}},
        user_id=user_id,
    )  # fmt: skip
    return dict(result["registerPushSubscription"]["pushSubscription"])


async def test_a_pushed_notification_decrypts_with_the_browsers_keys_and_is_vapid_signed() -> None:
    person = await sign_up(ledger=False)
    vapid = (await data("{ vapidPublicKey }", user_id=person.id))["vapidPublicKey"]
    with push_service() as service:
        service.vapid_public_key = vapid
        browser = service.browser()
        await subscribe(person.id, service, browser)
        n = notification(person.id)

        result = await send_push(n)

    assert result.outcome is Outcome.SENT, result
    [received] = service.received
    assert received.problem is None, received.problem
    assert received.payload == {
        "notificationId": encode_id("Notification", n.notification_id),
        "kind": "LARGE_TRANSACTION",
        "title": "Large transaction: $512.00",
        "body": "You spent $512.00 at Hardware Store on your Checking account.",
        "createdAt": "2026-11-20T08:30:00+00:00",
        "url": "/notifications",
        "data": {"amount": {"amount": "-512.00", "currency": "USD"}},
    }
    assert received.claims is not None
    assert received.claims["aud"] == service.url
    assert received.claims["sub"].startswith("mailto:")
    assert received.headers["ttl"] == "86400"
    assert received.headers["urgency"] == "normal"
    topic = received.headers["topic"]
    assert 0 < len(topic) <= 32 and topic.replace("-", "").replace("_", "").isalnum()
    listed = (await data(SUBSCRIPTIONS, user_id=person.id))["pushSubscriptions"]
    assert listed[0]["lastDeliveredAt"] is not None


async def test_every_browser_of_the_user_gets_it_and_a_repeat_keeps_its_topic() -> None:
    person = await sign_up(ledger=False)
    with push_service() as service:
        browsers = [service.browser(), service.browser()]
        for browser in browsers:
            await subscribe(person.id, service, browser)
        n = notification(person.id)
        first = await send_push(n)
        again = await send_push(n)

    assert (first.outcome, again.outcome) == (Outcome.SENT, Outcome.SENT)
    assert sorted(r.path for r in service.received) == sorted(
        [f"/push/{b.token}" for b in browsers] * 2
    )
    assert all(r.problem is None for r in service.received)
    # The same delivery keeps its Topic: a push service still holding it replaces it.
    assert len({r.headers["topic"] for r in service.received}) == 1


async def test_a_subscription_the_push_service_says_is_gone_is_removed() -> None:
    person = await sign_up(ledger=False)
    with push_service() as service:
        kept, gone = service.browser(), service.browser()
        await subscribe(person.id, service, kept)
        await subscribe(person.id, service, gone)
        service.statuses[gone.token] = [410]

        result = await send_push(notification(person.id))

        listed = (await data(SUBSCRIPTIONS, user_id=person.id))["pushSubscriptions"]
        assert result.outcome is Outcome.SENT
        assert [s["endpoint"] for s in listed] == [service.endpoint(kept)]

        service.statuses[kept.token] = [404]
        last = await send_push(notification(person.id, key="n-2:PUSH"))

    assert last.outcome is Outcome.FAILED
    assert last.reason is not None and "no push subscription left" in last.reason
    assert (await data(SUBSCRIPTIONS, user_id=person.id))["pushSubscriptions"] == []
    assert (await send_push(notification(person.id, key="n-3:PUSH"))).outcome is Outcome.FAILED


async def test_a_push_service_error_is_retried_and_the_subscription_kept() -> None:
    person = await sign_up(ledger=False)
    with push_service() as service:
        browser = service.browser()
        await subscribe(person.id, service, browser)
        service.statuses[browser.token] = [503, 429]
        n = notification(person.id)

        first = await send_push(n)
        second = await send_push(n)
        third = await send_push(n)

    assert (first.outcome, second.outcome, third.outcome) == (
        Outcome.RETRY, Outcome.RETRY, Outcome.SENT,
    )  # fmt: skip
    assert first.reason is not None and "503" in first.reason
    assert len((await data(SUBSCRIPTIONS, user_id=person.id))["pushSubscriptions"]) == 1


async def test_an_unreachable_push_service_is_retried() -> None:
    person = await sign_up(ledger=False)
    with push_service() as service:
        browser = service.browser()
        await subscribe(person.id, service, browser)
    # The server is gone: the connection is refused.
    result = await send_push(notification(person.id))
    assert result.outcome is Outcome.RETRY


async def test_nobody_subscribed_fails_without_retrying() -> None:
    person = await sign_up(ledger=False)
    result = await send_push(notification(person.id))
    assert result.outcome is Outcome.FAILED
    assert result.reason == "no browser has push turned on"


async def test_a_long_notification_is_cut_to_what_push_services_take() -> None:
    person = await sign_up(ledger=False)
    with push_service() as service:
        browser = service.browser()
        await subscribe(person.id, service, browser)
        result = await send_push(notification(person.id, body="é" * 5000, data={"big": "x" * 5000}))
    assert result.outcome is Outcome.SENT
    [received] = service.received
    assert received.payload is not None
    assert received.payload["data"] == {}
    assert received.payload["body"].endswith("…")
    assert len(received.body) <= 4096


async def test_registering_the_same_endpoint_again_renews_it() -> None:
    person = await sign_up(ledger=False)
    with push_service() as service:
        browser = service.browser()
        first = await subscribe(person.id, service, browser)
        browser.auth = b"0123456789abcdef"
        again = await subscribe(person.id, service, browser)
        result = await send_push(notification(person.id))
    assert first["id"] == again["id"]
    assert result.outcome is Outcome.SENT
    assert service.received[0].problem is None  # encrypted with the new auth secret


async def test_unregistering_is_for_the_callers_own_subscription() -> None:
    owner = await sign_up(ledger=False)
    other = await sign_up(ledger=False)
    with push_service() as service:
        browser = service.browser()
        await subscribe(owner.id, service, browser)
    endpoint = service.endpoint(browser)

    stranger = await execute(UNREGISTER, {"e": endpoint}, user_id=other.id)
    assert error_codes(stranger) == ["NOT_FOUND"]
    removed = await data(UNREGISTER, {"e": endpoint}, user_id=owner.id)
    assert removed["unregisterPushSubscription"]["unregisteredPushSubscriptionId"]
    assert (await data(SUBSCRIPTIONS, user_id=owner.id))["pushSubscriptions"] == []


async def test_bad_subscriptions_are_refused_naming_the_field() -> None:
    person = await sign_up(ledger=False)
    browser = Browser()
    good = {"endpoint": "http://127.0.0.1:9/push/x", "p256dh": browser.p256dh,
            "auth": b64url(browser.auth)}  # fmt: skip
    cases = [
        ({"endpoint": "http://push.example.com/x"}, "input.endpoint"),
        ({"endpoint": "ftp://127.0.0.1/x"}, "input.endpoint"),
        ({"endpoint": "https://user:pw@push.example.com/x"}, "input.endpoint"),
        ({"endpoint": "not a url"}, "input.endpoint"),
        ({"p256dh": b64url(b"\x04" + b"\x01" * 64)}, "input.p256dh"),  # not on the curve
        ({"p256dh": "!!!"}, "input.p256dh"),
        ({"auth": b64url(b"short")}, "input.auth"),
        ({"userAgent": "bad\u202e"}, "input.userAgent"),
    ]
    for change, field in cases:
        result = await execute(REGISTER, {"i": {**good, **change}}, user_id=person.id)
        assert error_codes(result) == ["BAD_USER_INPUT"], (change, result.errors)
        assert result.errors and (result.errors[0].extensions or {})["field"] == field
    assert (await data(SUBSCRIPTIONS, user_id=person.id))["pushSubscriptions"] == []
