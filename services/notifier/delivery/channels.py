"""The channels a delivery job can send through, by name: `SENDERS[channel]` is that channel's
Sender (outgoing.py). IN_APP has none: a notification is delivered in the app once stored."""

from __future__ import annotations

from services.notifier.delivery.email import send_email
from services.notifier.delivery.outgoing import Channel, Sender
from services.notifier.push.sender import send_push
from services.notifier.webhooks.sender import send_webhook

SENDERS: dict[Channel, Sender] = {
    Channel.EMAIL: send_email,
    Channel.PUSH: send_push,
    Channel.WEBHOOK: send_webhook,
}
