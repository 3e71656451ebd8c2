"""Web push in the graph: this server's VAPID public key, the caller's push subscriptions,
registering and unregistering a browser."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import strawberry

from services.notifier.push import service as push
from shared.db import read_session, unit_of_work
from shared.errors import NotFound
from shared.graphql import INPUT, Info, Node, caller_list, global_id


@strawberry.type(name="PushSubscription", description="A browser the caller turned web push on in.")
class PushSubscriptionType(Node):
    endpoint: str = strawberry.field(
        description="The browser's push service URL (what PushSubscription.endpoint is)."
    )
    user_agent: str | None = strawberry.field(
        description="The browser as it described itself when it subscribed."
    )
    created_at: datetime = strawberry.field(description="When it was registered.")
    last_delivered_at: datetime | None = strawberry.field(
        description="When its push service last took a notification for it."
    )

    @classmethod
    def of(cls, view: push.PushSubscriptionView) -> PushSubscriptionType:
        return cls(
            id=global_id("PushSubscription", view.id),
            endpoint=view.endpoint,
            user_agent=view.user_agent,
            created_at=view.created_at,
            last_delivered_at=view.last_delivered_at,
        )


@strawberry.input(
    description="A browser's push subscription, as PushManager.subscribe() made it with "
    "`vapidPublicKey`. The same endpoint again renews its keys."
)
class RegisterPushSubscriptionInput:
    endpoint: str = strawberry.field(
        description="PushSubscription.endpoint: https (http://127.0.0.1 in development)."
    )
    p256dh: str = strawberry.field(
        description="PushSubscription.getKey('p256dh'), base64url (65 bytes)."
    )
    auth: str = strawberry.field(description="PushSubscription.getKey('auth'), base64url.")
    user_agent: str | None = strawberry.field(
        default=None, description="How to recognise this browser in the list (300 characters)."
    )


@strawberry.input(description="The browser subscription to forget.")
class UnregisterPushSubscriptionInput:
    endpoint: str = strawberry.field(description="Its PushSubscription.endpoint.")


@strawberry.type(description="What registerPushSubscription stored.")
class RegisterPushSubscriptionPayload:
    push_subscription: PushSubscriptionType = strawberry.field(
        description="The subscription as stored."
    )


@strawberry.type(description="What unregisterPushSubscription removed.")
class UnregisterPushSubscriptionPayload:
    unregistered_push_subscription_id: strawberry.ID = strawberry.field(
        description="The id of the subscription that is gone."
    )


async def resolve_push_subscription(info: Info, subscription_id: uuid.UUID) -> Node:
    """The caller's push subscription (for `node(id:)`); NOT_FOUND otherwise."""
    user_id = info.context.require_user()
    async with read_session() as session:
        found = await push.push_subscriptions(session, user_id)
    for view in found:
        if view.id == subscription_id:
            return PushSubscriptionType.of(view)
    raise NotFound("PushSubscription")


@strawberry.type
class PushQuery:
    @strawberry.field
    def vapid_public_key(self, info: Info) -> str:
        """This server's VAPID public key (base64url): PushManager.subscribe()'s
        applicationServerKey."""
        info.context.require_user()
        return push.vapid_public_key()

    @strawberry.field
    async def push_subscriptions(self, info: Info) -> list[PushSubscriptionType]:
        """The browsers the caller turned web push on in, oldest first."""
        return await caller_list(info, push.push_subscriptions, PushSubscriptionType.of)


@strawberry.type
class PushMutation:
    @strawberry.mutation
    async def register_push_subscription(
        self, info: Info, input: Annotated[RegisterPushSubscriptionInput, INPUT]
    ) -> RegisterPushSubscriptionPayload:
        """Turn web push on for a browser: its notifications are pushed to it from now on (at
        most 20 browsers a user)."""
        user_id = info.context.require_user()
        async with unit_of_work() as work:
            view = await push.register_push_subscription(
                work,
                user_id,
                endpoint=input.endpoint,
                p256dh=input.p256dh,
                auth=input.auth,
                user_agent=input.user_agent,
            )
        return RegisterPushSubscriptionPayload(push_subscription=PushSubscriptionType.of(view))

    @strawberry.mutation
    async def unregister_push_subscription(
        self, info: Info, input: Annotated[UnregisterPushSubscriptionInput, INPUT]
    ) -> UnregisterPushSubscriptionPayload:
        """Turn web push off for a browser. NOT_FOUND if the caller has no subscription there."""
        user_id = info.context.require_user()
        async with unit_of_work() as work:
            removed = await push.unregister_push_subscription(work, user_id, input.endpoint)
        return UnregisterPushSubscriptionPayload(
            unregistered_push_subscription_id=global_id("PushSubscription", removed)
        )
