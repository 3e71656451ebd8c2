"""The notifier's public interface: the only module other services may import."""

from __future__ import annotations

import uuid

from services.ledger import api as ledger
from services.notifier.queue import QUEUE, TRANSACTIONS_CHANGED_ACTOR
from services.notifier.recipients import service as recipients
from services.notifier.rules import service as rules
from shared.db import UnitOfWork
from shared.events import Subscription

__all__ = ["QUEUE", "SUBSCRIPTIONS", "provision_user"]

# What the notifier listens to, on its own queue: the ledger's changed transactions are
# evaluated against the user's alert rules.
SUBSCRIPTIONS = (Subscription(ledger.TRANSACTIONS_CHANGED, QUEUE, TRANSACTIONS_CHANGED_ACTOR),)


async def provision_user(work: UnitOfWork, user_id: uuid.UUID, email: str) -> None:
    """Set a new user up for alerts, inside the sign-up transaction.

    Stores the address notifications are emailed to (the notifier never reads the gateway's
    users) and creates the default, enabled BUDGET_OVERSPENT rule covering every budget.
    Idempotent. Raises BadUserInput("email") for an address it cannot send to.
    """
    await recipients.set_recipient_email(work, user_id, email)
    await rules.ensure_default_rule(work, user_id)
