"""From a bank of spending to every channel a rule chose, through the broker: the ledger
announces, a real worker evaluates, the delivery jobs send, a real webhook receiver checks the
signature, and each channel's status is what the user reads on the notification."""

from __future__ import annotations

import json
from typing import Any

from tests.notifier.factories import (
    create_rule,
    drain_notifier_queue,
    mail_to,
    open_account,
    sign_up,
    spend,
)
from tests.notifier.receivers import webhook_receiver
from tests.support.graphql import data

CREATE_WEBHOOK = """mutation($i: CreateWebhookInput!) { createWebhook(input: $i) {
  signingSecret } }"""
DELIVERIES = """{ notifications { edges { node { kind title
  deliveries { channel status reason } } } } }"""


async def test_a_large_transaction_reaches_the_app_the_webhook_and_no_email(
    notifier_worker: None, smtp_server: Any
) -> None:
    person = await sign_up()
    account = await open_account(person)
    with webhook_receiver() as receiver:
        made = await data(CREATE_WEBHOOK, {"i": {"url": receiver.hook_url}}, user_id=person.id)
        receiver.secret = made["createWebhook"]["signingSecret"]
        await create_rule(
            person, kind="LARGE_TRANSACTION", threshold="500", channels=["IN_APP", "WEBHOOK"]
        )

        await spend(person, account, "-640.00", description="Bike shop")
        await drain_notifier_queue()
        await drain_notifier_queue()  # the delivery jobs the evaluation queued

        [received] = receiver.received

    assert received.problem is None  # signed as docs/webhooks.md says
    assert json.loads(received.body)["kind"] == "LARGE_TRANSACTION"
    [edge] = (await data(DELIVERIES, user_id=person.id))["notifications"]["edges"]
    assert edge["node"]["deliveries"] == [
        {"channel": "IN_APP", "status": "SENT", "reason": None},
        {"channel": "WEBHOOK", "status": "SENT", "reason": None},
    ]
    assert mail_to(smtp_server, person.email) == []  # the rule did not choose email
