"""Outgoing webhooks in the graph: the caller's webhooks with their recent attempts, and
creating (the signing secret shown once), changing and deleting them."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import Enum
from typing import Annotated, Any

import strawberry

from services.notifier.graphql.kinds import AlertKind
from services.notifier.webhooks import service as webhooks
from shared.db import read_session, unit_of_work
from shared.errors import BadUserInput
from shared.graphql import INPUT, Info, Node, caller_list, global_id, patch_field


@strawberry.enum(description="How one attempt to deliver to a webhook went.")
class WebhookAttemptOutcome(Enum):
    SENT = strawberry.enum_value("SENT", description="The receiver answered 2xx.")
    RETRY = strawberry.enum_value(
        "RETRY", description="No answer, a 5xx or a 429: it is tried again later."
    )
    FAILED = strawberry.enum_value(
        "FAILED", description="Another answer (a 4xx, a redirect), or an address refused."
    )


@strawberry.type(description="One attempt to POST a notification to a webhook.")
class WebhookDelivery:
    notification_id: strawberry.ID = strawberry.field(description="The notification sent.")
    attempted_at: datetime = strawberry.field(description="When the attempt started.")
    outcome: WebhookAttemptOutcome = strawberry.field(description="How it went.")
    status_code: int | None = strawberry.field(
        description="The receiver's HTTP status; null when it did not answer."
    )
    error: str | None = strawberry.field(description="What went wrong; null when it was taken.")
    duration_ms: int = strawberry.field(description="How long it took, in milliseconds.")

    @classmethod
    def of(cls, view: webhooks.WebhookDeliveryView) -> WebhookDelivery:
        return cls(
            notification_id=global_id("Notification", view.notification_id),
            attempted_at=view.attempted_at,
            outcome=WebhookAttemptOutcome(view.outcome),
            status_code=view.status_code,
            error=view.error,
            duration_ms=view.duration_ms,
        )


@strawberry.type(
    name="Webhook",
    description="A URL the caller's notifications are POSTed to as signed JSON (docs/webhooks.md).",
)
class WebhookType(Node):
    url: str = strawberry.field(description="Where notifications are POSTed (https).")
    description: str | None = strawberry.field(description="The caller's note about it.")
    kinds: list[AlertKind] | None = strawberry.field(
        description="The alert kinds it receives; null for every kind."
    )
    enabled: bool = strawberry.field(
        description="Whether it receives notifications; false once switched off by the user, "
        f"or by Tally after {webhooks.DISABLE_AFTER_FAILURES} failed deliveries in a row."
    )
    disabled_reason: str | None = strawberry.field(
        description="Why Tally switched it off; updateWebhook with enabled: true turns it on."
    )
    consecutive_failures: int = strawberry.field(
        description="Failed deliveries since the last one it took."
    )
    created_at: datetime = strawberry.field(description="When it was created.")
    recent_deliveries: list[WebhookDelivery] = strawberry.field(
        description=f"Its newest {webhooks.RECENT_DELIVERIES} delivery attempts, newest first."
    )

    @classmethod
    def of(cls, view: webhooks.WebhookView) -> WebhookType:
        return cls(
            id=global_id("Webhook", view.id),
            url=view.url,
            description=view.description,
            kinds=[AlertKind(kind) for kind in view.kinds] if view.kinds is not None else None,
            enabled=view.enabled,
            disabled_reason=view.disabled_reason,
            consecutive_failures=view.consecutive_failures,
            created_at=view.created_at,
            recent_deliveries=[WebhookDelivery.of(d) for d in view.recent_deliveries],
        )


@strawberry.input(description="A new webhook, enabled.")
class CreateWebhookInput:
    url: str = strawberry.field(
        description="Where to POST: https, to a public address (http://127.0.0.1 in development)."
    )
    description: str | None = strawberry.field(
        default=None, description="A note for yourself (200 characters)."
    )
    kinds: list[AlertKind] | None = strawberry.field(
        default=None, description="The alert kinds it receives; null for every kind."
    )


@strawberry.input(description="What to change about a webhook; fields left out stay as they are.")
class UpdateWebhookInput:
    id: strawberry.ID = strawberry.field(description="One of the caller's webhooks.")
    url: str | None = patch_field("A new URL.")
    description: str | None = patch_field("A new note; null removes it.")
    kinds: list[AlertKind] | None = patch_field("The kinds it receives; null for every kind.")
    enabled: bool | None = patch_field("Switch it on (clearing its failures) or off.")


@strawberry.input(description="The webhook to delete.")
class DeleteWebhookInput:
    id: strawberry.ID = strawberry.field(description="One of the caller's webhooks.")


@strawberry.type(description="What createWebhook made.")
class CreateWebhookPayload:
    webhook: WebhookType = strawberry.field(description="The new webhook.")
    signing_secret: str = strawberry.field(
        description="The secret its requests are signed with (Tally-Signature). Shown this "
        "once: keep it where the receiver can read it."
    )


@strawberry.type(description="What updateWebhook changed.")
class UpdateWebhookPayload:
    webhook: WebhookType = strawberry.field(description="The webhook as it is now.")


@strawberry.type(description="What deleteWebhook removed.")
class DeleteWebhookPayload:
    deleted_webhook_id: strawberry.ID = strawberry.field(
        description="The id of the webhook that is gone, with its delivery log."
    )


async def resolve_webhook(info: Info, webhook_id: uuid.UUID) -> Node:
    """The caller's webhook (for `node(id:)`); NOT_FOUND otherwise."""
    user_id = info.context.require_user()
    async with read_session() as session:
        return WebhookType.of(await webhooks.webhook(session, user_id, webhook_id))


def _unless_unset(value: Any) -> Any:
    return webhooks.KEEP if value is strawberry.UNSET else value


def _kinds(value: Any) -> Any:
    if value is strawberry.UNSET:
        return webhooks.KEEP
    return None if value is None else [str(kind.value) for kind in value]


@strawberry.type
class WebhookQuery:
    @strawberry.field
    async def webhooks(self, info: Info) -> list[WebhookType]:
        """The caller's webhooks, oldest first, each with its recent delivery attempts."""
        return await caller_list(info, webhooks.webhooks, WebhookType.of)


@strawberry.type
class WebhookMutation:
    @strawberry.mutation
    async def create_webhook(
        self, info: Info, input: Annotated[CreateWebhookInput, INPUT]
    ) -> CreateWebhookPayload:
        """A new webhook (at most 10 a user), and its signing secret, shown this once."""
        user_id = info.context.require_user()
        async with unit_of_work() as work:
            view, secret = await webhooks.create_webhook(
                work,
                user_id,
                url=input.url,
                description=input.description,
                kinds=[str(kind.value) for kind in input.kinds]
                if input.kinds is not None
                else None,
            )
        return CreateWebhookPayload(webhook=WebhookType.of(view), signing_secret=secret)

    @strawberry.mutation
    async def update_webhook(
        self, info: Info, input: Annotated[UpdateWebhookInput, INPUT]
    ) -> UpdateWebhookPayload:
        """Change a webhook's URL, note or kinds, or switch it on or off."""
        user_id = info.context.require_user()
        if input.url is None:
            raise BadUserInput("input.url", "must not be null; leave it out to keep it")
        if input.enabled is None:
            raise BadUserInput("input.enabled", "must not be null; leave it out to keep it")
        changes = webhooks.WebhookChanges(
            url=_unless_unset(input.url),
            description=_unless_unset(input.description),
            kinds=_kinds(input.kinds),
            enabled=_unless_unset(input.enabled),
        )
        async with unit_of_work() as work:
            view = await webhooks.update_webhook(work, user_id, input.id, changes)
        return UpdateWebhookPayload(webhook=WebhookType.of(view))

    @strawberry.mutation
    async def delete_webhook(
        self, info: Info, input: Annotated[DeleteWebhookInput, INPUT]
    ) -> DeleteWebhookPayload:
        """Delete a webhook and its delivery log."""
        user_id = info.context.require_user()
        async with unit_of_work() as work:
            removed = await webhooks.delete_webhook(work, user_id, input.id)
        return DeleteWebhookPayload(deleted_webhook_id=global_id("Webhook", removed))
