"""The channels a delivery job can send through, by name: `SENDERS[channel]` is that channel's
Sender (outgoing.py). IN_APP has none: a notification is delivered in the app once stored.

The lead adds PUSH and WEBHOOK at merge (services/notifier/push/sender.py: send_push,
services/notifier/webhooks/sender.py: send_webhook); until then their stand-in answers FAILED.
"""

from __future__ import annotations

from services.notifier.delivery.email import send_email
from services.notifier.delivery.outgoing import (
    Channel,
    Outcome,
    OutgoingNotification,
    Sender,
    SendResult,
)


async def not_configured(_: OutgoingNotification) -> SendResult:
    """STAND-IN for PUSH and WEBHOOK until their senders are registered."""
    return SendResult(Outcome.FAILED, "channel not configured")


SENDERS: dict[Channel, Sender] = {
    Channel.EMAIL: send_email,
    Channel.PUSH: not_configured,
    Channel.WEBHOOK: not_configured,
}
