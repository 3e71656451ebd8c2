"""Deliveries in the graph: how a notification went on each channel it was sent through,
loaded a page of notifications at a time."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import Enum

import strawberry
from strawberry.dataloader import DataLoader

from services.notifier.delivery import service as delivery
from shared.db import read_session
from shared.graphql import Context


@strawberry.enum(description="A way a notification reaches the user.")
class DeliveryChannel(Enum):
    IN_APP = strawberry.enum_value("IN_APP", description="The notification centre, and live.")
    EMAIL = strawberry.enum_value("EMAIL", description="An email (or a line in the digest).")
    PUSH = strawberry.enum_value("PUSH", description="A web push to the user's browsers.")
    WEBHOOK = strawberry.enum_value("WEBHOOK", description="A signed POST to the user's URL.")


@strawberry.enum(description="Where a delivery stands.")
class DeliveryStatus(Enum):
    PENDING = strawberry.enum_value(
        "PENDING",
        description="Not sent yet: on its way, held (quiet hours, the digest) or to be retried.",
    )
    SENT = strawberry.enum_value("SENT", description="The channel took it.")
    FAILED = strawberry.enum_value("FAILED", description="It will not be sent; see the reason.")


@strawberry.type(name="Delivery", description="A notification on its way through one channel.")
class DeliveryType:
    channel: DeliveryChannel = strawberry.field(description="The channel.")
    status: DeliveryStatus = strawberry.field(description="Where it stands.")
    reason: str | None = strawberry.field(
        description="Why it failed, waits or will be retried; null when nothing is to be said."
    )
    attempts: int = strawberry.field(description="How many times it was tried.")
    updated_at: datetime = strawberry.field(description="When its status last changed.")

    @classmethod
    def of(cls, view: delivery.DeliveryView) -> DeliveryType:
        return cls(
            channel=DeliveryChannel(view.channel),
            status=DeliveryStatus(view.status),
            reason=view.reason,
            attempts=view.attempts,
            updated_at=view.updated_at,
        )


def deliveries_loader(context: Context) -> DataLoader[uuid.UUID, list[delivery.DeliveryView]]:
    user_id = context.require_user()

    async def batch(keys: list[uuid.UUID]) -> list[list[delivery.DeliveryView]]:
        async with read_session() as session:
            return await delivery.deliveries_of(session, user_id, keys)

    return DataLoader(load_fn=batch)
