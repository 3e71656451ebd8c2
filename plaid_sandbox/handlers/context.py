"""What every endpoint handler is given and gives back, and the Item lookups they share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from plaid_sandbox import errors
from plaid_sandbox.render import rfc3339
from plaid_sandbox.state import ItemRecord, Session, StateStore
from plaid_sandbox.validation import Fields
from plaid_sandbox.webhooks import Webhook, WebhookHosts, WebhookSigner


@dataclass
class Context:
    store: StateStore
    signer: WebhookSigner
    clock: Callable[[], datetime]
    initial_update_delay: float
    webhook_hosts: WebhookHosts


@dataclass
class Outcome:
    payload: dict[str, Any]
    webhooks: list[Webhook] = field(default_factory=list)


Handler = Callable[[Context, Fields], Outcome]


def webhook_url(ctx: Context, fields: Fields, name: str) -> str | None:
    """The webhook URL a request gives, refused (INVALID_FIELD) unless its host is allowed."""
    url = fields.webhook_url(name)
    return None if url is None else ctx.webhook_hosts.check(url, fields.qualified(name))


def item_for_token(session: Session, access_token: str) -> ItemRecord:
    item = session.item_for_token(access_token)
    if item is None:
        raise errors.invalid_access_token()
    return item


def _raise_item_error(item: ItemRecord) -> None:
    """Data endpoints answer with the Item's error while it has one, as Plaid does."""
    error = item["error"]
    if error is not None:
        raise errors.PlaidApiError(
            int(error.get("status") or 400),
            str(error["error_type"]),
            str(error["error_code"]),
            str(error["error_message"]),
            error.get("display_message"),
        )


def healthy_item(session: Session, access_token: str) -> ItemRecord:
    item = item_for_token(session, access_token)
    _raise_item_error(item)
    return item


def webhooks_for(
    item: ItemRecord, payload: dict[str, Any], now: datetime, delay: float = 0.0
) -> list[Webhook]:
    """The webhook to send to the Item's URL, if it has one; remembered for /item/get."""
    if item["webhook"] is None:
        return []
    item["last_webhook"] = {"sent_at": rfc3339(now), "code_sent": str(payload["webhook_code"])}
    return [Webhook(item["webhook"], payload, delay)]
