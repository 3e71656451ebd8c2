"""The notifier's subscription: the caller's new notifications, live."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import aclosing

import strawberry

from services.notifier.graphql.notifications import NotificationType
from services.notifier.inbox import service as inbox
from shared import pubsub
from shared.graphql import Info


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def notifications(self, info: Info) -> AsyncGenerator[NotificationType, None]:
        """The caller's new notifications, as they are stored, until their session ends."""
        user_id = info.context.require_user()
        topic = inbox.live_topic(user_id)
        session_id = info.context.session_id
        events = (
            pubsub.subscribe_until(topic, pubsub.session_ended_topic(session_id))
            if session_id is not None
            else pubsub.subscribe(topic)
        )
        # Close the subscription as soon as the client goes, not when it is garbage collected.
        async with aclosing(events):  # type: ignore[type-var]
            async for payload in events:
                yield NotificationType.of(inbox.NotificationView.from_payload(payload))
