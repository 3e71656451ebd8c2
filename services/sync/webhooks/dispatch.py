"""Plaid webhooks acted on once verified: a sync enqueued, or the item's health recorded.

Outcomes: 200 accepted (acted on) or ignored (nothing to do, e.g. an unknown item); 400 for a
verified body that is not a webhook; 401 for anything that fails verification; 503 when the
key cannot be fetched right now (Plaid retries webhooks that are not answered with 200).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from services.sync.health import service as health
from services.sync.jobs import enqueue_sync
from services.sync.models import ItemStatus
from services.sync.webhooks import receipts
from services.sync.webhooks.verification import KeyUnavailable, WebhookRejected, verify
from shared.logging import get_logger

log = get_logger(__name__)

SYNC_CODES = frozenset(
    {"SYNC_UPDATES_AVAILABLE", "INITIAL_UPDATE", "HISTORICAL_UPDATE", "DEFAULT_UPDATE",
     "TRANSACTIONS_REMOVED"}
)  # fmt: skip
REVOKED_CODES = frozenset({"USER_PERMISSION_REVOKED", "USER_ACCOUNT_REVOKED"})


@dataclass(frozen=True)
class WebhookOutcome:
    status: str  # "accepted", "ignored", "rejected"
    # 200 accepted/ignored, 400 malformed, 401 bad signature/stale/body mismatch,
    # 503 the verification key cannot be fetched right now (Plaid retries)
    http_status: int


async def handle(body: bytes, header: str | None) -> WebhookOutcome:
    """Verify, then act: enqueue a sync, or record the item's health."""
    try:
        await verify(body, header)
    except WebhookRejected as error:
        log.warning("plaid_webhook.rejected", reason=str(error))
        return WebhookOutcome("rejected", 401)
    except KeyUnavailable as error:
        log.warning("plaid_webhook.key_unavailable", error_code=str(error))
        return WebhookOutcome("rejected", 503)
    try:
        payload = json.loads(body)
    except ValueError:
        return WebhookOutcome("rejected", 400)
    if not isinstance(payload, dict):
        return WebhookOutcome("rejected", 400)
    webhook_type = payload.get("webhook_type")
    webhook_code = payload.get("webhook_code")
    plaid_item_id = payload.get("item_id")
    if not isinstance(webhook_type, str) or not isinstance(webhook_code, str):
        return WebhookOutcome("rejected", 400)
    if not isinstance(plaid_item_id, str) or not plaid_item_id:
        log.info("plaid_webhook.ignored", type=webhook_type, code=webhook_code)
        return WebhookOutcome("ignored", 200)
    assert header is not None  # verified above
    if not await receipts.first_sighting(header):
        log.warning("plaid_webhook.replayed", type=webhook_type, code=webhook_code)
        return WebhookOutcome("ignored", 200)
    return await _act(webhook_type, webhook_code, plaid_item_id, payload)


async def _act(
    webhook_type: str, webhook_code: str, plaid_item_id: str, payload: dict[str, Any]
) -> WebhookOutcome:
    item_id = await health.item_id_for_plaid_item(plaid_item_id)
    outcome = "ignored"
    if item_id is None:
        pass
    elif webhook_type == "TRANSACTIONS" and webhook_code in SYNC_CODES:
        await enqueue_sync(item_id)
        outcome = "accepted"
    elif webhook_type == "ITEM" and webhook_code == "ERROR":
        error = payload.get("error")
        code = error.get("error_code") if isinstance(error, dict) else None
        code = code if isinstance(code, str) else "UNKNOWN"
        await health.set_item_status(item_id, health.status_for_plaid_error(code), code[:100])
        outcome = "accepted"
    elif webhook_type == "ITEM" and webhook_code == "LOGIN_REPAIRED":
        await health.set_item_status(item_id, ItemStatus.HEALTHY, None)
        await enqueue_sync(item_id)
        outcome = "accepted"
    elif webhook_type == "ITEM" and webhook_code in REVOKED_CODES:
        await health.set_item_status(item_id, ItemStatus.ERROR, webhook_code)
        outcome = "accepted"
    log.info(
        "plaid_webhook.received",
        type=webhook_type,
        code=webhook_code,
        item_id=str(item_id) if item_id else None,
        outcome=outcome,
    )
    return WebhookOutcome(outcome, 200)
